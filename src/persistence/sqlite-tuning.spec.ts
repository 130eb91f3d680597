import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareSqliteConnection } from './sqlite-tuning.js';

describe('prepareSqliteConnection', () => {
  const folders: string[] = [];
  afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('sets the busy timeout, NORMAL sync, a 10,000-page checkpoint interval and a WAL size limit', () => {
    const folder = mkdtempSync(join(tmpdir(), 'authnest-sqlite-tuning-'));
    folders.push(folder);
    const db = new Database(join(folder, 'tuned.sqlite'));
    try {
      prepareSqliteConnection(db);
      db.pragma('journal_mode = WAL');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024);
    } finally {
      db.close();
    }
  });
});
