/**
 * The `authnest` bin (issue 11 item 2), spawned for real against a SQLite file and PostgreSQL, next to an app on the
 * same database: it refuses a database whose migrations are behind (except `migrate`), migrates, creates a client
 * whose secret (printed once) gets tokens from the app, rotates the secret (the old one refused at once by the app),
 * lists, shows, updates, disables (tokens inactive) and enables clients, lists, rotates, retires and revokes keys
 * (the app's JWKS follows), revokes grants and purges; human output and `--json`; nothing secret printed but the
 * secrets it creates.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient, CreatedClient, RotatedSigningKey, SigningKeyInfo } from '../../src/index.js';
import { ensurePostgresSchema } from '../../src/persistence/data-source.factory.js';
import { getMe, issueToken, MeController, publishedKids, requestToken } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { RS, expectActive } from '../admin/support.js';
import { cliJson, cliOk, expectNothingSecret, runCli, targetFlags } from './support.js';

/** Waits until `check` passes (the app re-reads keys every second here). */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await check();
    } catch (error) {
      if (attempt > 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.each(testMatrix())('authnest CLI commands on %s/%s', (platform, db) => {
  const fresh = freshDatabase(db);
  const flags = targetFlags(fresh.database);
  let t: TestApp | undefined;
  let secret: string;

  beforeAll(async () => {
    // An empty database: the SQLite file exists, the PostgreSQL schema too, no migration ran.
    if ('type' in fresh.database && fresh.database.type === 'sqlite') new Database(fresh.database.path!).close();
    else if ('type' in fresh.database && fresh.database.type === 'postgres') await ensurePostgresSchema(fresh.database.url, fresh.database.schema!);
  });
  afterAll(async () => {
    await t?.close();
    await fresh.drop();
  });

  it('refuses a database whose migrations are behind, except migrate; migrate --check tells', async () => {
    for (const command of [['clients', 'list'], ['keys', 'list'], ['purge']]) {
      const refused = await runCli([...command, ...flags]);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('its migrations are behind: run `authnest migrate` first');
      expect(refused.stdout).toBe('');
      expectNothingSecret(refused, fresh.database);
    }
    const behind = await runCli(['migrate', '--check', ...flags, '--json']);
    expect(behind.code).toBe(1);
    expect(JSON.parse(behind.stdout)).toMatchObject({ upToDate: false, pending: expect.arrayContaining(['AuthnestInitial1763900000000']) });
    const migrated = await runCli(['migrate', ...flags], { AUTHNEST_ENCRYPTION_SECRET: undefined });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/ran AuthnestInitial1763900000000, /);
    expectNothingSecret(migrated, fresh.database);
    expect(await cliOk(['migrate', '--check', ...flags])).toContain('migrations are up to date');
    expect(await cliOk(['migrate', ...flags])).toContain('no pending migrations');

    t = await bootTestApp({
      platform,
      db,
      database: fresh.database,
      controllers: [MeController],
      options: { scopes: ['profile', 'email'], clients: [RS], signing: { encryptionSecret: TEST_SECRET, reloadInterval: 1 } },
    });
  });

  it('creates a client whose secret, printed once, gets tokens from the app; rotate-secret refuses the old one at once', async () => {
    const created = await cliJson<CreatedClient>(['clients', 'create', 'cli-svc', '--scope', 'profile,email', '--default-scope', 'profile', '--name', 'CLI service', ...flags]);
    expect(created.client).toMatchObject({ clientId: 'cli-svc', name: 'CLI service', scopes: ['profile', 'email'], confidential: true });
    const token = await issueToken(t!.url, 'cli-svc', created.clientSecret!);
    expect((await getMe(t!.url, token)).body).toMatchObject({ sub: 'cli-svc', scopes: ['profile'] });

    const rotation = await runCli(['clients', 'rotate-secret', 'cli-svc', ...flags]);
    expect(rotation.code, rotation.stderr).toBe(0);
    secret = /^client_secret: (\S+)$/m.exec(rotation.stdout)![1]!;
    expect(rotation.stdout.split(secret)).toHaveLength(2); // printed once
    expect(rotation.stderr).toBe('');
    expectOAuthError(await requestToken(t!.url, 'cli-svc', created.clientSecret!), 401, 'invalid_client');
    await issueToken(t!.url, 'cli-svc', secret);

    const human = await runCli(['clients', 'create', 'cli-spa', '--public', '--grant-type', 'authorization_code', '--redirect-uri', 'https://spa.cli.test/cb', '--scope', 'profile', ...flags]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('created client cli-spa (public, none)');
    expect(human.stdout).not.toContain('client_secret');
  });

  it('lists, shows and updates clients, never printing a secret or hash', async () => {
    const list = await cliOk(['clients', 'list', ...flags]);
    expect(list).toMatch(/^client_id\tstatus\ttype\tname\tgrant_types$/m);
    expect(list).toMatch(/^cli-svc\tenabled\tconfidential\tCLI service\tclient_credentials$/m);
    expect((await cliJson<AdminClient[]>(['clients', 'list', ...flags])).map((client) => client.clientId)).toEqual(['cli-spa', 'cli-svc', 'rs']);
    const shown = await runCli(['clients', 'show', 'cli-svc', ...flags]);
    expect(shown.stdout).toMatch(/^client_id: +cli-svc$/m);
    expectNothingSecret(shown, fresh.database, [secret, 'scrypt$']);
    const updated = await cliJson<AdminClient>(['clients', 'update', 'cli-svc', '--name', 'Renamed', '--scope', 'profile', '--default-scope', 'profile', ...flags]);
    expect(updated).toMatchObject({ name: 'Renamed', scopes: ['profile'] });
    expect(JSON.stringify(updated)).not.toMatch(/scrypt|secretHash|secretSealed/);
    expect(JSON.stringify(updated)).not.toContain(secret);
    const invalid = await runCli(['clients', 'update', 'cli-svc', '--default-scope', 'nope', ...flags]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("client.defaultScopes: 'nope' is not in this client's scopes");
    const missing = await runCli(['clients', 'show', 'nobody', ...flags]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no client nobody');
  });

  it("disables a client (its tokens inactive at once), then enables it", async () => {
    const token = await issueToken(t!.url, 'cli-svc', secret);
    const disabled = await cliJson<{ client: AdminClient; revoked: { accessTokens: number } }>(['clients', 'disable', 'cli-svc', ...flags]);
    expect(disabled.client.disabled).toBe(true);
    expect(disabled.revoked.accessTokens).toBeGreaterThanOrEqual(1);
    expectOAuthError(await requestToken(t!.url, 'cli-svc', secret), 401, 'invalid_client');
    await expectActive(t!, token, false);
    expect((await getMe(t!.url, token)).status).toBe(401); // never verified before: read from the database
    expect(await cliOk(['clients', 'enable', 'cli-svc', ...flags])).toContain('enabled client cli-svc');
    await issueToken(t!.url, 'cli-svc', secret);
  });

  it('lists, rotates, retires and revokes signing keys; the app publishes what the CLI did', async () => {
    const [signing] = await cliJson<SigningKeyInfo[]>(['keys', 'list', ...flags]);
    expect(signing).toMatchObject({ state: 'active', signing: true });
    const human = await cliOk(['keys', 'list', ...flags]);
    expect(human).toMatch(new RegExp(`^${signing!.kid}\\tES256\\tactive\\tyes\\t`, 'm'));

    const rotated = await cliJson<RotatedSigningKey>(['keys', 'rotate', ...flags]);
    await eventually(async () => expect(await publishedKids(t!.url)).toContain(rotated.kid));
    expect(await cliJson<SigningKeyInfo>(['keys', 'retire', rotated.kid, ...flags])).toMatchObject({ kid: rotated.kid, state: 'retired' });
    await eventually(async () => expect(await publishedKids(t!.url)).not.toContain(rotated.kid));
    const refused = await runCli(['keys', 'retire', signing!.kid, ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('signs new tokens: rotate first');

    const again = /published signing key (\S+) \(ES256\)/.exec(await cliOk(['keys', 'rotate', ...flags]))![1]!;
    expect(await cliOk(['keys', 'revoke', again, ...flags])).toContain(`revoked signing key ${again} (ES256): now revoked`);
    await eventually(async () => expect(await publishedKids(t!.url)).toEqual([signing!.kid]));
    const unknown = await runCli(['keys', 'revoke', 'no-such-key', ...flags]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no signing key no-such-key');
  });

  it("revokes a client's or a user's grants, and purges", async () => {
    const token = await issueToken(t!.url, 'cli-svc', secret);
    const revoked = await cliJson<{ owner: unknown; accessTokens: number }>(['grants', 'revoke', '--client', 'cli-svc', ...flags]);
    expect(revoked.owner).toEqual({ clientId: 'cli-svc' });
    expect(revoked.accessTokens).toBeGreaterThanOrEqual(1);
    await expectActive(t!, token, false);
    expect(await cliOk(['grants', 'revoke', '--user', 'user-nobody', ...flags])).toContain('revoked 0 access and 0 refresh tokens and 0 codes of user user-nobody');
    expect(await cliJson(['purge', ...flags])).toEqual({ deleted: expect.any(Number) });
    expect(await cliOk(['purge', ...flags])).toMatch(/^authnest: purged \d+ expired rows$/m);
  });
}, 600_000); // each test spawns the bin several times (a Nest boot each): slow on a loaded machine
