import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAuthOptions } from '../options/resolve-options.js';
import { resolveEncryptionSecret } from './encryption-secret.js';

/** A logger that records warnings instead of printing them. */
class RecordingLogger extends Logger {
  readonly warnings: string[] = [];
  override warn(message: string): void {
    this.warnings.push(message);
  }
}

describe('resolveEncryptionSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authnest-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (signing: Record<string, string> = {}) =>
    resolveAuthOptions({ issuer: 'http://localhost', database: { type: 'sqlite', path: join(dir, 'db.sqlite') }, signing }, {});

  it('uses the configured secret and writes nothing', () => {
    const logger = new RecordingLogger();
    expect(resolveEncryptionSecret(options({ encryptionSecret: 'c'.repeat(40) }), logger)).toBe('c'.repeat(40));
    expect(logger.warnings).toEqual([]);
    expect(() => statSync(join(dir, '.authnest'))).toThrow();
  });

  it('generates a 0600 development secret beside the SQLite file, warns, and reuses it', () => {
    const logger = new RecordingLogger();
    const secret = resolveEncryptionSecret(options(), logger);
    const file = join(dir, '.authnest', 'secret.key');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.warnings.join()).toContain('DEVELOPMENT ONLY');
    expect(resolveEncryptionSecret(options(), logger)).toBe(secret);
  });

  it('honours signing.secretFile', () => {
    const file = join(dir, 'nested', 'key.txt');
    const secret = resolveEncryptionSecret(options({ secretFile: file }), new RecordingLogger());
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
  });

  it('refuses an empty or short secret file instead of sealing keys with it', () => {
    const file = join(dir, 'short.key');
    writeFileSync(file, '\n');
    expect(() => resolveEncryptionSecret(options({ secretFile: file }), new RecordingLogger())).toThrow(/no usable secret/);
    writeFileSync(file, 'x'.repeat(31));
    expect(() => resolveEncryptionSecret(options({ secretFile: file }), new RecordingLogger())).toThrow(file);
  });
});
