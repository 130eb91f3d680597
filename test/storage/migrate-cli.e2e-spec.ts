import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { runMigrateCli } from '../../src/cli/migrate.js';
import { authnestMigrations, buildDataSourceOptions, MIGRATIONS_TABLE } from '../../src/index.js';
import type { AuthDatabaseOptions, PostgresDatabaseOptions, SqliteDatabaseOptions } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase } from '../support/test-app.js';

/** Runs the CLI, collecting what it prints. */
async function migrate(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runMigrateCli(argv, { log: (line) => lines.push(line), error: (line) => lines.push(line) });
  return { code, out: lines.join('\n') };
}

function cliArgs(database: AuthDatabaseOptions): string[] {
  if ('dataSource' in database) throw new Error('not a CLI target');
  if (database.type === 'sqlite') return ['migrate', '--sqlite', database.path!];
  return ['migrate', '--url', database.url, '--schema', database.schema!];
}

describe.each(testMatrix())('authnest migrate CLI on %s/%s', (platform, db) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('runs pending migrations once, says so, and prints no credentials', async () => {
    const fresh = freshDatabase(db);
    drop = fresh.drop;
    const database = fresh.database as SqliteDatabaseOptions | PostgresDatabaseOptions;
    const first = await migrate(cliArgs(database));
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/ran AuthnestInitial1763900000000, AuthnestBrowserFlows1763990000000, AuthnestOpenIdConnect1764000000000, AuthnestClientStore1764100000000, /);
    expect(first.out.endsWith(`ran ${authnestMigrations.map((migration) => migration.name).join(', ')}`)).toBe(true);
    const second = await migrate(cliArgs(database));
    expect(second).toEqual({ code: 0, out: expect.stringMatching(/no pending migrations$/) });
    if (database.type === 'postgres') {
      const url = new URL(database.url);
      for (const out of [first.out, second.out]) {
        expect(out).toContain(`schema ${database.schema}`);
        if (url.password) expect(out).not.toContain(`:${url.password}@`);
        expect(out).not.toContain(database.url);
      }
    }
    const dataSource = new DataSource(
      buildDataSourceOptions(
        database.type === 'postgres'
          ? { kind: 'postgres', url: database.url, schema: database.schema, poolSize: 1, migrations: 'check' }
          : { kind: 'sqlite', path: database.path!, migrations: 'check' },
      ),
    );
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    expect(await runner.hasTable(MIGRATIONS_TABLE)).toBe(true);
    expect(await runner.hasTable('authnest_signing_keys')).toBe(true);
    await runner.release();
    await dataSource.destroy();
    const app = await bootTestApp({ platform, db, database: { ...database, migrations: 'check' } });
    await app.close();
  });

  it('reports a failure with exit code 1 and hides the password', async () => {
    const password = 'not-the-real-password-9f1c';
    let target = ['--url', `postgres://authnest:${password}@127.0.0.1:1/none`];
    if (db === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'authnest-cli-'));
      drop = async () => rmSync(dir, { recursive: true, force: true });
      writeFileSync(join(dir, 'not-a-database.sqlite'), 'this is not a SQLite file, just text that is long enough to have a header');
      target = ['--sqlite', join(dir, 'not-a-database.sqlite')];
    }
    const result = await migrate(['migrate', ...target]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^authnest: migration failed on /);
    expect(result.out).not.toContain(password);
  });
});
