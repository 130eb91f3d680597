import { describe, expect, it } from 'vitest';
import { runAuthnestCli } from '../authnest.js';
import { parseKeysArgs } from './keys-args.js';
import { runKeysCli } from './keys-cli.js';

const SQLITE = ['--sqlite', 'data/auth.sqlite'];
const sqlite = { kind: 'sqlite', path: 'data/auth.sqlite', migrations: 'run' };

describe('authnest keys: arguments', () => {
  it('reads list, rotate and revoke with a database target', () => {
    expect(parseKeysArgs(['keys', 'list', ...SQLITE])).toEqual({ command: 'list', target: sqlite });
    expect(parseKeysArgs(['keys', 'rotate', ...SQLITE])).toEqual({ command: 'rotate', target: sqlite, algorithm: undefined, secretFile: undefined });
    expect(parseKeysArgs(['keys', 'rotate', '--algorithm', 'RS256', '--secret-file', '/run/secret', ...SQLITE])).toMatchObject({
      algorithm: 'RS256',
      secretFile: '/run/secret',
    });
    expect(parseKeysArgs(['keys', 'revoke', 'k1d-Xy', '--url', 'postgres://u:p@db/app', '--schema', 'auth'])).toEqual({
      command: 'revoke',
      kid: 'k1d-Xy',
      target: { kind: 'postgres', url: 'postgres://u:p@db/app', schema: 'auth', poolSize: 1, migrations: 'run' },
    });
  });

  it("reads a key id that starts with '-' after --", () => {
    expect(parseKeysArgs(['keys', 'revoke', ...SQLITE, '--', '-tK3y'])).toEqual({ command: 'revoke', target: sqlite, kid: '-tK3y' });
  });

  it.each([
    [['keys', ...SQLITE], 'list, rotate or revoke'],
    [['keys', 'purge', ...SQLITE], 'list, rotate or revoke'],
    [['keys', 'list'], 'exactly one of --sqlite and --url'],
    [['keys', 'list', ...SQLITE, 'extra'], 'list takes no arguments'],
    [['keys', 'revoke', ...SQLITE], 'one key id'],
    [['keys', 'revoke', 'a', 'b', ...SQLITE], 'one key id'],
    [['keys', 'revoke', 'x'.repeat(65), ...SQLITE], '1 to 64 printable'],
    [['keys', 'revoke', 'kid', '--algorithm', 'ES256', ...SQLITE], 'rotate only'],
    [['keys', 'list', '--secret-file', 'f', ...SQLITE], 'rotate only'],
    [['keys', 'rotate', '--algorithm', 'none', ...SQLITE], 'one of ES256, RS256, EdDSA'],
    [['keys', 'rotate', '--secret-file', '', ...SQLITE], 'needs a file path'],
    [['keys', 'rotate', '--secret', 'hunter2', ...SQLITE], "Unknown option '--secret'"],
    [['keys', 'list', '--url', 'mysql://db/a'], 'postgres://'],
    [['keys', 'list', '--sqlite', 'a', '--schema', 's'], 'PostgreSQL only'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseKeysArgs(argv);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(message);
  });

  it('prints the usage and exits 2 on bad arguments, without echoing the URL', async () => {
    const lines: string[] = [];
    const output = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const code = await runKeysCli(['keys', 'list', '--url', 'mysql://user:hunter2-password@db/a'], { output });
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('usage: authnest keys list');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('exits 1 for a SQLite file that does not exist, creating nothing', async () => {
    const lines: string[] = [];
    const output = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    expect(await runKeysCli(['keys', 'list', '--sqlite', '/nonexistent/authnest.sqlite'], { output })).toBe(1);
    expect(lines.join('\n')).toContain('no database file /nonexistent/authnest.sqlite');
  });

  it('the authnest bin sends `keys ...` to the keys commands and everything else to migrate', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await runAuthnestCli(['keys', 'frobnicate', ...SQLITE])).toBe(2);
      expect(await runAuthnestCli(['rollback', ...SQLITE])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors[0]).toContain('usage: authnest keys');
    expect(errors[1]).toContain('usage: authnest migrate');
  });
});
