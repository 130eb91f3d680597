import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/index.js';
import { basic, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { ApiController, callApi, CLIENT_CREDENTIALS, expectTokenResponse, tokenRequest } from './helpers.js';

const CLIENT = { id: 'signer', secret: 'signer-secret-00001' };
/** Private and symmetric JWK members (RFC 7518 sections 6.2.2, 6.3.2, 6.4.1; RFC 8037 section 2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** The public members each key type must carry. */
const EXPECTED: Record<SigningAlgorithm, Record<string, unknown>> = {
  ES256: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
  RS256: { kty: 'RSA', n: expect.any(String), e: 'AQAB' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String) },
};

async function issue(t: TestApp): Promise<string> {
  return expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(CLIENT.id, CLIENT.secret) })).access_token;
}

/** The JWK Set (RFC 7517 section 5) that signs JWT access tokens: public members only, a kid per key. */
describe.each(testMatrix())('JWKS on %s/%s', (platform, db) => {
  const apps: Partial<Record<SigningAlgorithm, TestApp>> = {};

  beforeAll(async () => {
    for (const algorithm of ['ES256', 'RS256', 'EdDSA'] as const) {
      apps[algorithm] = await bootTestApp({
        platform,
        db,
        controllers: [ApiController],
        // ES256 is the default: its app sets no algorithm.
        options: {
          ...(algorithm === 'ES256' ? {} : { signing: { algorithm, encryptionSecret: TEST_SECRET } }),
          clients: [{ clientId: CLIENT.id, clientSecret: CLIENT.secret }],
        },
      });
    }
  });
  afterAll(async () => {
    for (const app of Object.values(apps)) await app?.close();
  });

  it('is served as JSON, cacheable, with one key by default', async () => {
    const res = await request(`${apps.ES256!.url}/oauth/jwks`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/(jwk-set\+)?json\b/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(Object.keys(res.body)).toEqual(['keys']);
    expect(res.body.keys).toHaveLength(1);
  });

  describe.each(['ES256', 'RS256', 'EdDSA'] as const)('signing with %s', (algorithm) => {
    it('publishes the key with kid, alg and use, and only its public members', async () => {
      const { body } = await request(`${apps[algorithm]!.url}/oauth/jwks`);
      const [key] = body.keys as Record<string, unknown>[];
      expect(key).toEqual({ kid: expect.any(String), alg: algorithm, use: 'sig', ...EXPECTED[algorithm] });
      for (const member of PRIVATE_MEMBERS) expect(key, member).not.toHaveProperty(member);
    });

    it('signs access tokens with that key: header alg and kid match, and the signature verifies against the JWKS', async () => {
      const t = apps[algorithm]!;
      const token = await issue(t);
      const header = decodeProtectedHeader(token);
      const { body } = await request(`${t.url}/oauth/jwks`);
      const [key] = body.keys as { kid: string }[];
      expect(header).toEqual({ alg: algorithm, kid: key!.kid, typ: 'at+jwt' });
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`)), {
        algorithms: [algorithm],
        typ: 'at+jwt',
        issuer: t.issuer,
        audience: t.issuer,
      });
      expect(payload.client_id).toBe(CLIENT.id);
      expect((await callApi(t, '/api/any', token)).status).toBe(200);
    });
  });

  it('refuses a token whose signature was tampered with', async () => {
    const t = apps.ES256!;
    const [head, payload, signature] = (await issue(t)).split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    const flipped = bytes.toString('base64url');
    const jwks = createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`));
    await expect(jwtVerify(`${head}.${payload}.${flipped}`, jwks)).rejects.toThrow();
    expect((await callApi(t, '/api/any', `${head}.${payload}.${flipped}`)).status).toBe(401);
  });

  it("is shared by a second instance on the same database, which accepts the first instance's tokens", async () => {
    const first = apps.ES256!;
    const second = await bootTestApp({
      platform,
      db,
      database: first.database,
      controllers: [ApiController],
      options: { clients: [{ clientId: CLIENT.id, clientSecret: CLIENT.secret }] },
    });
    try {
      expect((await request(`${second.url}/oauth/jwks`)).body).toEqual((await request(`${first.url}/oauth/jwks`)).body);
      const seen = await callApi(second, '/api/any', await issue(first));
      expect(seen.status, seen.text).toBe(200);
      expect((await callApi(first, '/api/any', await issue(second))).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
