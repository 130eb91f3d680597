/**
 * `authnest keys` against a real database (issue 8 item 5), run in-process like `authnest migrate`'s suite: it refuses
 * a database whose migrations are behind (an upgrade from before rotation: the existing key keeps signing from its
 * creation on), refuses to seal a key without the app's encryption secret (missing, short, or another one), and a
 * key it pre-publishes for another algorithm waits until an instance configured with that algorithm signs with it
 * from its activation on, without creating a key at boot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrateCli } from '../../src/cli/migrate.js';
import { authnestMigrations, buildDataSourceOptions, type AuthDatabaseOptions } from '../../src/index.js';
import { ensurePostgresSchema } from '../../src/persistence/data-source.factory.js';
import { AuthnestSigningKeyRotation1764900000000 } from '../../src/persistence/migrations/1764900000000-authnest-signing-key-rotation.js';
import { SecretBox } from '../../src/tokens/secret-box.js';
import { generateSigningKey } from '../../src/tokens/signing-key-factory.js';
import { kidOf, MeController } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, freshDatabase, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { databaseFlags, expectLocal, jwksKids, keysCli, ROTATION, rotatedKid, signingKid, storedKeys, svcToken, SVC } from './support/rotation-helpers.js';

const BEFORE_ROTATION = authnestMigrations.slice(0, authnestMigrations.indexOf(AuthnestSigningKeyRotation1764900000000));

/** A database migrated up to the release before key rotation, holding one key of that release. Resolves its kid. */
async function legacyDatabase(database: AuthDatabaseOptions, createdAt: number): Promise<string> {
  if ('dataSource' in database) throw new Error('not a CLI target');
  const target =
    database.type === 'sqlite'
      ? ({ kind: 'sqlite', path: database.path!, migrations: 'run' } as const)
      : ({ kind: 'postgres', url: database.url, schema: database.schema, poolSize: 1, migrations: 'run' } as const);
  if (target.kind === 'postgres') await ensurePostgresSchema(target.url, target.schema!);
  const dataSource = new DataSource({ ...buildDataSourceOptions(target), migrations: BEFORE_ROTATION });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const key = await generateSigningKey('ES256', new SecretBox(TEST_SECRET), createdAt, null);
    const values = [key.kid, key.alg, 'active', key.publicJwk, key.privateJwkEncrypted, createdAt];
    const table = target.kind === 'postgres' ? `"${target.schema}"."authnest_signing_keys"` : 'authnest_signing_keys';
    const marks = values.map((_, index) => (target.kind === 'postgres' ? `$${index + 1}` : '?')).join(', ');
    await dataSource.query(`INSERT INTO ${table} (kid, alg, status, public_jwk, private_jwk_encrypted, created_at) VALUES (${marks})`, values);
    return key.kid;
  } finally {
    await dataSource.destroy();
  }
}

describe.each(testMatrix())('authnest keys CLI on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2032, 8, 1, 8, 0, 0));
  const fresh = freshDatabase(db);
  const flags = databaseFlags(fresh.database);
  const options = { scopes: ['profile'], clients: [SVC], signing: ROTATION };
  let legacyKid: string;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  let secretDir: string;

  beforeAll(async () => {
    secretDir = mkdtempSync(join(tmpdir(), 'authnest-keys-cli-'));
    legacyKid = await legacyDatabase(fresh.database, clock.now() - 86_400_000);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await fresh.drop();
    rmSync(secretDir, { recursive: true, force: true });
  });

  it('refuses a database whose migrations are behind; once migrated, the existing key signs from its creation on', async () => {
    for (const command of [['list'], ['rotate'], ['revoke', legacyKid]]) {
      const refused = await keysCli([...command, ...flags], clock);
      expect(refused, refused.out).toEqual({ code: 1, out: expect.stringContaining('its migrations are behind: run `authnest migrate` first') });
    }
    const migrate = await runMigrateCli(['migrate', ...flags], { log: () => undefined, error: () => undefined });
    expect(migrate).toBe(0);
    const list = await keysCli(['list', ...flags], clock);
    // kid, alg, state, signing, created, signs from (its creation: a key from before rotation), published until, revoked
    expect(list.out).toMatch(new RegExp(`^${legacyKid}\\tES256\\tactive\\tyes\\t(\\S+)\\t\\1\\t-\\t-$`, 'm'));

    a = await bootTestApp({ platform, db, clock, database: fresh.database, controllers: [MeController], options });
    expect(await signingKid(a)).toBe(legacyKid);
    expect(await storedKeys(a)).toHaveLength(1);
  });

  it('refuses to rotate without the encryption secret of the stored keys, adding nothing and printing no secret', async () => {
    const other = 'another-secret-0123456789abcdefghijk';
    const shortFile = join(secretDir, 'short.key');
    writeFileSync(shortFile, 'too-short\n');
    const cases: [NodeJS.ProcessEnv, string[], string][] = [
      [{}, [], 'no encryption secret: set AUTHNEST_ENCRYPTION_SECRET or pass --secret-file'],
      [{ AUTHNEST_ENCRYPTION_SECRET: 'short' }, [], 'at least 32 characters'],
      [{}, ['--secret-file', shortFile], 'at least 32 characters'],
      [{}, ['--secret-file', join(secretDir, 'missing.key')], 'missing.key does not exist'],
      [{ AUTHNEST_ENCRYPTION_SECRET: other }, [], 'the encryption secret does not open the stored keys'],
    ];
    for (const [env, extra, message] of cases) {
      const res = await keysCli(['rotate', ...flags, ...extra], clock, env);
      expect(res.code, res.out).toBe(1);
      expect(res.out).toContain(message);
      expect(res.out).not.toContain(other);
      expect(res.out).not.toContain(TEST_SECRET);
    }
    expect(await storedKeys(a!)).toHaveLength(1);
    const unknown = await keysCli(['revoke', 'no-such-key', ...flags], clock);
    expect(unknown).toEqual({ code: 1, out: expect.stringContaining('no signing key no-such-key') });
    const usage = await keysCli(['rotate', ...flags, '--algorithm', 'HS256'], clock);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('Allowed choices are ES256, RS256, EdDSA');
  });

  it('pre-publishes a key of another algorithm (secret from a file) that an instance configured with it signs with, creating none', async () => {
    const secretFile = join(secretDir, 'secret.key');
    writeFileSync(secretFile, `${TEST_SECRET}\n`, { mode: 0o600 });
    const rotate = await keysCli(['rotate', ...flags, '--algorithm', 'EdDSA', '--secret-file', secretFile], clock, {});
    expect(rotate.code, rotate.out).toBe(0);
    const kid = rotatedKid(rotate.out);
    clock.advance(60);
    expect(await jwksKids(a!)).toEqual([legacyKid, kid].sort());
    clock.advance(900);
    expect(await signingKid(a!)).toBe(legacyKid);

    b = await bootTestApp({ platform, db, clock, database: fresh.database, controllers: [MeController], options: { ...options, signing: { ...ROTATION, algorithm: 'EdDSA' } } });
    const token = await svcToken(b);
    expect(kidOf(token)).toBe(kid);
    expect(await storedKeys(b)).toHaveLength(2);
    for (const app of [a!, b]) await expectLocal(app, token, 200);
  });
});
