import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import {
  ApiController,
  callApi,
  CLIENT_CREDENTIALS,
  expectBasicChallenge,
  expectOAuthError,
  expectTokenResponse,
  tokenRequest,
} from './helpers.js';

const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Grey-box (security checklist 80, 81, 83): the database, read through its own connection, holds client
 * secrets only as scrypt hashes and opaque access tokens only as SHA-256 hashes; neither stored value
 * works when presented.
 */
describe.each(testMatrix())('secrets and tokens at rest on %s/%s', (platform, db) => {
  const VAULT = { id: 'vault', secret: 'vault-secret-correct-horse-battery' };
  const options = {
    scopes: ['a'],
    clients: [
      { clientId: VAULT.id, clientSecret: VAULT.secret, scopes: ['a'], defaultScopes: ['a'], accessTokenFormat: 'opaque' as const, authMethods: ['client_secret_basic' as const, 'client_secret_post' as const] },
      { clientId: 'public-app' },
    ],
  };
  let t: TestApp;
  let store: DbInspector;

  const clientRow = async (clientId: string) => (await store.rows('authnest_clients')).find((row) => row.client_id === clientId);

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      options,
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  describe('client secrets (80)', () => {
    it('are stored only as a salted scrypt hash, and the secret appears in no column', async () => {
      const row = await clientRow(VAULT.id);
      expect(row?.secret_hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(row)).not.toContain(VAULT.secret);
      expect(JSON.stringify(row)).not.toContain(Buffer.from(VAULT.secret).toString('base64'));
      expect((await clientRow('public-app'))?.secret_hash).toBeNull();
    });

    it('keep their hash across a restart, and re-seeding does not store the secret', async () => {
      const before = (await clientRow(VAULT.id))?.secret_hash;
      const again = await bootTestApp({ platform, db, database: t.database, options });
      await again.close();
      expect((await clientRow(VAULT.id))?.secret_hash).toBe(before);
    });

    it('do not authenticate when the stored hash is presented as the secret, by Basic or by post', async () => {
      const stored = String((await clientRow(VAULT.id))?.secret_hash);
      expectBasicChallenge(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(VAULT.id, stored) }), t.issuer);
      expectOAuthError(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: VAULT.id, client_secret: stored }), 401, 'invalid_client');
      const hashPart = stored.split('$').at(-1)!;
      expectBasicChallenge(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(VAULT.id, hashPart) }), t.issuer);
    });
  });

  describe('opaque access tokens (81)', () => {
    it('are stored only as their SHA-256 hash, keyed by the jti they begin with (the 256-bit rest is not stored)', async () => {
      const { access_token } = expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(VAULT.id, VAULT.secret) }));
      expect(access_token).toMatch(/^[A-Za-z0-9_-]{65}$/);
      const row = (await store.rows('authnest_access_tokens')).find((r) => r.token_hash === sha256Hex(access_token));
      expect(row).toBeDefined();
      expect(row!.id).toBe(access_token.slice(0, 22));
      expect(row!.client_id).toBe(VAULT.id);
      const everything = JSON.stringify(await store.rows('authnest_access_tokens'));
      expect(everything).not.toContain(access_token);
      expect(everything).not.toContain(access_token.slice(22));
    });

    it('cannot be replayed from the database: the stored hash and the jti are refused at a guarded route', async () => {
      const { access_token } = expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(VAULT.id, VAULT.secret) }));
      expect((await callApi(t, '/api/a', access_token)).status).toBe(200);
      const row = (await store.rows('authnest_access_tokens')).find((r) => r.token_hash === sha256Hex(access_token))!;
      for (const stored of [String(row.token_hash), String(row.id)]) {
        const res = await callApi(t, '/api/a', stored);
        expectOAuthError(res, 401, 'invalid_token');
      }
    });

    it('record expiry consistent with expires_in', async () => {
      const { access_token, expires_in } = expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(VAULT.id, VAULT.secret) }));
      const row = (await store.rows('authnest_access_tokens')).find((r) => r.token_hash === sha256Hex(access_token))!;
      expect(Number(row.expires_at) - Number(row.issued_at)).toBe(expires_in * 1000);
    });
  });

  describe('signing keys (83)', () => {
    it('keep the private key sealed: no private member in clear in any column', async () => {
      const [key] = await store.rows('authnest_signing_keys');
      expect(String(key!.private_jwk_encrypted)).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(JSON.stringify(key)).not.toMatch(/\\"d\\"/);
      expect(JSON.parse(String(key!.public_jwk))).not.toHaveProperty('d');
    });
  });
});
