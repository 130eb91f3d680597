import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRemoteJWKSet, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { SigningKeyEntity, type AuthDatabaseOptions, type AuthModuleOptions, type SigningAlgorithm } from '../../src/index.js';
import { SecretBox } from '../../src/tokens/secret-box.js';
import { authnestDataSource, getMe, issueToken, kidOf, MeController, publishedKids } from '../support/app-helpers.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, TEST_ISSUER, TEST_SECRET, type TestApp } from '../support/test-app.js';

const CLIENT = { clientId: 'svc', clientSecret: 'svc-secret-123' };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe.each(testMatrix())('signing keys on %s/%s', (platform, db) => {
  const apps: TestApp[] = [];
  let cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function database(): AuthDatabaseOptions {
    const fresh = freshDatabase(db);
    cleanup.push(fresh.drop);
    return fresh.database;
  }

  async function boot(database: AuthDatabaseOptions, options: Partial<AuthModuleOptions> = {}): Promise<TestApp> {
    const app = await bootTestApp({ platform, db, database, options: { clients: [CLIENT], ...options }, controllers: [MeController] });
    apps.push(app);
    return app;
  }

  async function storedKeys(app: TestApp): Promise<SigningKeyEntity[]> {
    return authnestDataSource(app.app).getRepository(SigningKeyEntity).find();
  }

  it.each([
    [undefined, 'ES256', { kty: 'EC', crv: 'P-256' }],
    ['ES256', 'ES256', { kty: 'EC', crv: 'P-256' }],
    ['RS256', 'RS256', { kty: 'RSA', e: 'AQAB' }],
    ['EdDSA', 'EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ] as const)('signing.algorithm %s issues %s tokens verifiable against the JWKS', async (configured, alg, shape) => {
    const signing = configured ? { encryptionSecret: TEST_SECRET, algorithm: configured as SigningAlgorithm } : { encryptionSecret: TEST_SECRET };
    const t = await boot(database(), { signing });
    const jwks = await request(`${t.url}/oauth/jwks`);
    const keys = jwks.body.keys as JWK[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ alg, use: 'sig', ...shape });
    for (const member of PRIVATE_MEMBERS) expect(keys[0]).not.toHaveProperty(member);
    const token = await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret);
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`)), {
      issuer: TEST_ISSUER,
      audience: TEST_ISSUER,
      typ: 'at+jwt',
      algorithms: [alg],
    });
    expect(protectedHeader).toMatchObject({ alg, kid: keys[0]!.kid });
    expect(payload).toMatchObject({ sub: 'svc', client_id: 'svc' });
    expect((await getMe(t.url, token)).status).toBe(200);
  });

  it('stores the private key sealed: no plaintext JWK, and it opens only with the right secret', async () => {
    const t = await boot(database());
    const [key] = await storedKeys(t);
    const published = (await request(`${t.url}/oauth/jwks`)).body.keys as JWK[];
    expect(key!.privateJwkEncrypted).not.toContain('"d"');
    expect(key!.privateJwkEncrypted).not.toContain('{');
    expect(key!.privateJwkEncrypted.startsWith('v1.')).toBe(true);
    expect(JSON.parse(key!.publicJwk)).not.toHaveProperty('d');
    const opened = JSON.parse(new SecretBox(TEST_SECRET).open(key!.privateJwkEncrypted)) as JWK;
    expect(opened.d).toEqual(expect.any(String));
    expect(opened.x).toBe(published[0]!.x);
    expect(() => new SecretBox(`${TEST_SECRET}-other`).open(key!.privateJwkEncrypted)).toThrow();
  });

  it('refuses to boot on an existing database with another encryptionSecret', async () => {
    const shared = database();
    const first = await boot(shared);
    const [kid] = await publishedKids(first.url);
    await first.app.close();
    const failure = await boot(shared, { signing: { encryptionSecret: 'another-secret-0123456789abcdefghij' } }).catch((error: unknown) => error);
    expect(String(failure)).toContain(`signing key ${kid} cannot be decrypted: signing.encryptionSecret differs`);
    expect(String(failure)).not.toContain(TEST_SECRET);
  });

  it('without encryptionSecret (development), generates a 0600 secret file and reuses it after a restart', async () => {
    const shared = database();
    let secretFile: string;
    let signing: AuthModuleOptions['signing'] = {};
    if (db === 'sqlite') {
      secretFile = join(dirname((shared as { path: string }).path), '.authnest', 'secret.key');
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'authnest-secret-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      secretFile = join(dir, 'secret.key');
      signing = { secretFile };
    }
    const first = await boot(shared, { signing });
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const [key] = await storedKeys(first);
    expect(() => new SecretBox(secret).open(key!.privateJwkEncrypted)).not.toThrow();
    const kids = await publishedKids(first.url);
    const token = await issueToken(first.url, CLIENT.clientId, CLIENT.clientSecret);
    await first.app.close();
    const second = await boot(shared, { signing });
    expect(await publishedKids(second.url)).toEqual(kids);
    expect((await getMe(second.url, token)).status).toBe(200);
    expect(readFileSync(secretFile, 'utf8').trim()).toBe(secret);
  });

  it('two instances booting at once on an empty database create one key and both sign with it (FL8)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const shared = database();
      const [a, b] = await Promise.all([boot(shared), boot(shared)]);
      const [keysA, keysB] = [await publishedKids(a!.url), await publishedKids(b!.url)];
      expect(keysA).toHaveLength(1);
      expect(keysB).toEqual(keysA);
      expect(await storedKeys(a!)).toHaveLength(1);
      const [tokenA, tokenB] = [await issueToken(a!.url, 'svc', 'svc-secret-123'), await issueToken(b!.url, 'svc', 'svc-secret-123')];
      expect([kidOf(tokenA), kidOf(tokenB)]).toEqual([keysA[0], keysA[0]]);
      expect((await getMe(b!.url, tokenA)).status).toBe(200);
      expect((await getMe(a!.url, tokenB)).status).toBe(200);
      for (const app of apps.splice(0)) await app.close();
    }
  });
});
