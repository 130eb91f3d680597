/**
 * How the `authnest` bin finds its database and secret, and how it refuses (issue 11 item 2): a JSON config file, a
 * JS module config, `AUTHNEST_CONFIG`, the environment (`AUTHNEST_SQLITE_PATH` / `AUTHNEST_DATABASE_URL` +
 * `AUTHNEST_DATABASE_SCHEMA`, `AUTHNEST_ENCRYPTION_SECRET`), flags overriding them; a config typo or the wrong secret
 * is exit 1 with a clear message; bad usage is exit 2; nothing secret is ever printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { freshDatabase, TEST_SECRET } from '../support/test-app.js';
import { cliJson, cliOk, expectNothingSecret, runCli, targetEnv, targetFlags } from './support.js';

const databases = [...new Set(testMatrix().map(([, db]) => db))];

describe.each(databases)('authnest CLI configuration on %s', (db) => {
  const fresh = freshDatabase(db);
  const flags = targetFlags(fresh.database);
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authnest-cli-config-'));
    await cliOk(['migrate', ...flags]);
    await cliOk(['clients', 'create', 'seen', '--public', ...flags]);
  }, 300_000);
  afterAll(async () => {
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = (clients: AdminClient[]) => clients.map((client) => client.clientId);

  it('reads a JSON config file, a JS module config and AUTHNEST_CONFIG, without any other variable', async () => {
    const json = join(dir, 'authnest.config.json');
    writeFileSync(json, JSON.stringify({ database: fresh.database, encryptionSecret: TEST_SECRET }));
    const module = join(dir, 'authnest.config.mjs');
    writeFileSync(module, `export default ${JSON.stringify({ database: fresh.database, signing: { encryptionSecret: TEST_SECRET } })};\n`);
    const none = { AUTHNEST_ENCRYPTION_SECRET: undefined };
    expect(ids(await cliJson(['clients', 'list', '--config', json], none))).toEqual(['seen']);
    expect(ids(await cliJson(['clients', 'list', '--config', module], none))).toEqual(['seen']);
    expect(ids(await cliJson(['clients', 'list'], { ...none, AUTHNEST_CONFIG: json }))).toEqual(['seen']);
    // With the server's scopes in the config, a client's scopes are checked against them (without, the app checks at use).
    const scoped = join(dir, 'scoped.json');
    writeFileSync(scoped, JSON.stringify({ database: fresh.database, scopes: ['profile'] }));
    const refused = await runCli(['clients', 'create', 'scoped', '--scope', 'profile,nope', '--config', scoped]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("client.scopes: 'nope' is not in scopes");
    expect((await cliJson<{ client: AdminClient }>(['clients', 'create', 'scoped', '--scope', 'profile', '--config', scoped])).client.scopes).toEqual(['profile']);
  });

  it('reads the database and the secret from the environment; flags override them', async () => {
    expect(ids(await cliJson(['clients', 'list'], targetEnv(fresh.database)))).toEqual(['scoped', 'seen']);
    const elsewhere = db === 'sqlite' ? { AUTHNEST_SQLITE_PATH: join(dir, 'elsewhere.sqlite') } : { AUTHNEST_DATABASE_URL: 'postgres://nobody:pw@127.0.0.1:1/none' };
    expect(ids(await cliJson(['clients', 'list', ...flags], elsewhere))).toEqual(['scoped', 'seen']);
  });

  it('refuses a config typo, a missing or wrong secret and a missing database file with exit 1 and a clear message', async () => {
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ database: fresh.database, encryptionSecret: TEST_SECRET, acessToken: { ttl: 60 } }));
    const cases: [string[], Record<string, string | undefined>, string][] = [
      [['clients', 'list', '--config', typo], {}, 'acessToken: property acessToken should not exist'],
      [['clients', 'list', '--config', join(dir, 'missing.json')], {}, 'missing.json: not found'],
      [['clients', 'list', ...flags], { AUTHNEST_ENCRYPTION_SECRET: 'another-secret-0123456789abcdefghijk' }, 'the encryption secret does not open the stored keys'],
      [['clients', 'list', ...flags], { AUTHNEST_ENCRYPTION_SECRET: 'short' }, 'at least 32 characters'],
      [['clients', 'list', '--sqlite', join(dir, 'nope', 'none.sqlite')], {}, 'no database file'],
    ];
    for (const [args, env, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
      expectNothingSecret(run, fresh.database, [TEST_SECRET, 'another-secret-0123456789abcdefghijk']);
    }
  });

  it('exits 2 on bad usage, printing what is wrong and never the URL', async () => {
    const cases: [string[], Record<string, string | undefined>, string][] = [
      [['frobnicate'], {}, "unknown command 'frobnicate'"],
      [['clients'], {}, 'Usage: authnest clients'],
      [['clients', 'show', ...flags], {}, "missing required argument 'clientId'"],
      [['clients', 'list', '--verbose', ...flags], {}, "unknown option '--verbose'"],
      [['grants', 'revoke', ...flags], {}, 'pass exactly one of --user SUB and --client ID'],
      [['grants', 'revoke', '--user', 'a', '--client', 'b', ...flags], {}, 'pass exactly one of --user SUB and --client ID'],
      [['keys', 'rotate', '--algorithm', 'HS256', ...flags], {}, 'Allowed choices are ES256, RS256, EdDSA'],
      [['clients', 'list'], {}, 'no database: pass --sqlite PATH or --url'],
      [['clients', 'list', '--sqlite', 'a.sqlite', '--url', 'postgres://db/a'], {}, 'pass --sqlite or --url, not both'],
      [['clients', 'list', '--url', 'mysql://user:hunter2-password@db/a'], {}, '--url must be a postgres:// URL'],
      [['keys', 'revoke', 'x'.repeat(65), ...flags], {}, 'a key id is 1 to 64 printable characters'],
    ];
    for (const [args, env, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('hunter2');
    }
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['clients', 'create', '--help'])).stdout).toContain('--redirect-uri <uris>');
  });
}, 600_000); // each test spawns the bin several times (a Nest boot each): slow on a loaded machine
