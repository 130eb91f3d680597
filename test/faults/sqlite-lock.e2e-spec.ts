import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authnestEntities, authnestMigrations, MIGRATIONS_TABLE, prepareSqliteConnection, type AuthDatabaseOptions, type SqlitePragmas } from '../../src/index.js';
import { MACHINE, post } from '../grants/grant-helpers.js';
import type { Platform } from '../support/matrix.js';
import { basic } from '../support/http.js';
import type { TestApp } from '../support/test-app.js';
import { formInit, timed } from './load.js';
import { isClean503, READS } from './outage-load.js';
import { bootFaultApp, expectCleanAnswers, expectWholeGrants, runOutage } from './outage-cycle.js';

/** busy_timeout of the app's connection in the load test: how long a write waits for the lock before SQLITE_BUSY. */
const SHORT_BUSY_MS = 50;

/** A second connection to the file that takes the write lock (`BEGIN EXCLUSIVE`) and gives it back. */
function lockHolder(path: string): { lock(): void; unlock(): void } {
  let holder: Database.Database | undefined;
  return {
    lock: () => {
      holder = new Database(path);
      holder.exec('BEGIN EXCLUSIVE');
    },
    unlock: () => {
      holder?.exec('ROLLBACK');
      holder?.close();
    },
  };
}

/**
 * SQLite's write lock held by another connection for longer than busy_timeout, under load (FL14). The app shares a
 * host DataSource tuned as authnest tunes its own (`prepareSqliteConnection`) but with a busy_timeout of 50 ms, so that
 * the wait of each write (better-sqlite3 waits synchronously: the whole process stops meanwhile) stays short. While the
 * lock is held every write (tokens, code redemption, refresh, revocation) is a clean 503 with Retry-After; reads
 * (introspection, the guarded route) are served from the WAL; once it is released everything succeeds, and the grants
 * are whole, as with PostgreSQL.
 */
describe.each(['express', 'fastify'] as const)('SQLite write lock held elsewhere, under load, on %s', (platform: Platform) => {
  let dir: string;
  let path: string;
  let host: DataSource;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authnest-faults-'));
    path = join(dir, 'db.sqlite');
    host = await new DataSource({
      type: 'better-sqlite3',
      database: path,
      entities: [...authnestEntities],
      migrations: [...authnestMigrations],
      migrationsTableName: MIGRATIONS_TABLE,
      enableWAL: true,
      prepareDatabase: (db: SqlitePragmas) => {
        prepareSqliteConnection(db);
        db.pragma(`busy_timeout = ${SHORT_BUSY_MS}`);
      },
    }).initialize();
    t = await bootFaultApp(platform, 'sqlite', { dataSource: host, migrations: 'run' });
  });
  afterAll(async () => {
    await t?.close();
    await host?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers writes with a clean 503 while the lock is held, serves reads, recovers at once, and keeps every grant whole', async () => {
    const holder = lockHolder(path);
    const run = await runOutage(t, { down: holder.lock, up: holder.unlock, downMs: 2500, servedWhileDown: READS });
    expectCleanAnswers(run, READS);
    await expectWholeGrants(t, { type: 'sqlite', path }, run);
  });
});

describe('SQLite write lock with the default busy_timeout', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authnest-faults-'));
    t = await bootFaultApp('express', 'sqlite', { type: 'sqlite', path: join(dir, 'db.sqlite') });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a write after the 5 s busy_timeout with a clean 503, and the next one with 200 once the lock is gone', async () => {
    expect((await post(t, '/oauth/token', MACHINE, { grant_type: 'client_credentials' })).status).toBe(200);
    const holder = lockHolder(join(dir, 'db.sqlite'));
    holder.lock();
    const started = performance.now();
    const sample = await timed('cc', undefined, `${t.url}/oauth/token`, formInit({ grant_type: 'client_credentials' }, { authorization: basic(MACHINE.id, MACHINE.secret!) }), 10_000);
    const waited = performance.now() - started;
    holder.unlock();
    expect(isClean503(sample), sample.res?.text ?? sample.failure).toBe(true);
    expect(waited).toBeGreaterThan(4500);
    expect(waited).toBeLessThan(7000);
    expect((await post(t, '/oauth/token', MACHINE, { grant_type: 'client_credentials' })).status).toBe(200);
  });
});
