import { describe, expect, it } from 'vitest';
import { parseMigrateArgs, runMigrateCli } from './migrate.js';

describe('authnest migrate: arguments', () => {
  it('reads a SQLite target', () => {
    expect(parseMigrateArgs(['migrate', '--sqlite', 'data/auth.sqlite'])).toEqual({ kind: 'sqlite', path: 'data/auth.sqlite', migrations: 'run' });
    expect(parseMigrateArgs(['--sqlite=auth.sqlite'])).toMatchObject({ kind: 'sqlite', path: 'auth.sqlite' });
  });

  it('reads a PostgreSQL target with an optional schema', () => {
    expect(parseMigrateArgs(['migrate', '--url', 'postgres://u:p@db:5432/app', '--schema', 'auth'])).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/app',
      schema: 'auth',
      poolSize: 1,
      migrations: 'run',
    });
    expect(parseMigrateArgs(['--url', 'postgresql://db/app'])).toMatchObject({ kind: 'postgres', schema: undefined });
  });

  it.each([
    [[], 'exactly one'],
    [['migrate'], 'exactly one'],
    [['--sqlite', 'a', '--url', 'postgres://db/a'], 'exactly one'],
    [['--url', 'mysql://db/a'], 'postgres://'],
    [['--url', 'postgres://db/a', '--schema', 'a"; drop schema public; --'], 'identifier'],
    [['--sqlite', 'a', '--schema', 's'], 'PostgreSQL only'],
    [['--sqlite', ''], 'file path'],
    [['rollback', '--sqlite', 'a'], 'unknown command'],
    [['--sqlite', 'a', '--verbose'], 'verbose'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseMigrateArgs(argv);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(message);
  });

  it('prints the usage and exits 2 on bad arguments, without echoing the URL', async () => {
    const lines: string[] = [];
    const code = await runMigrateCli(['--url', 'mysql://user:hunter2-password@db/a'], { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('usage: authnest migrate');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
