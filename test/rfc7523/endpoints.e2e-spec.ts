import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { expectOAuthError, expectTokenResponse } from '../token-endpoint/helpers.js';
import {
  ASYMMETRIC_ALGS,
  assertionClaims,
  assertionPost,
  assertionTokenRequest,
  expectAssertionRefused,
  INTROSPECTION_ENDPOINT,
  jwksOf,
  REVOCATION_ENDPOINT,
  signWithKey,
  signWithSecret,
  testKeyPair,
  type AsymmetricAlg,
  type TestKeyPair,
} from './support/assertions.js';

const METHODS = ['client_secret_jwt', 'private_key_jwt'];

/**
 * JWT client authentication beyond the token endpoint: the metadata advertises it for the token, revocation and
 * introspection endpoints with the algorithms actually accepted (RFC 8414 section 2; OpenID Connect Discovery
 * section 3), and revocation (RFC 7009 section 2.1) and introspection (RFC 7662 section 2.1) authenticate clients by
 * `private_key_jwt` and `client_secret_jwt` like the token endpoint does (checklist 38 on every endpoint).
 */
describe.each(testMatrix())('JWT client authentication on every endpoint on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  const HS = { id: 'rs-hs', secret: 'rs-hs-secret-0123456789abcdef012' };
  let t: TestApp;
  let key: TestKeyPair;
  let plainKey: TestKeyPair;

  beforeAll(async () => {
    key = await testKeyPair('PS256');
    plainKey = await testKeyPair('EdDSA');
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        accessToken: { format: 'opaque' },
        clients: [
          { clientId: 'rs-pk', jwks: jwksOf(key), scopes: ['read'], allowIntrospection: true },
          { clientId: HS.id, clientSecret: HS.secret, authMethods: ['client_secret_jwt'], scopes: ['read'], allowIntrospection: true },
          { clientId: 'plain-pk', jwks: jwksOf(plainKey), scopes: ['read'] },
        ],
      },
    });
  });
  afterAll(() => t?.close());

  const pk = (aud?: string, clientId = 'rs-pk', pair = key) => signWithKey(pair, assertionClaims(clientId, clock.now(), aud ? { aud } : {}));
  const hs = (aud?: string) => signWithSecret(HS.secret, assertionClaims(HS.id, clock.now(), aud ? { aud } : {}), 'HS384');
  const newToken = async (assertion: Promise<string>) => expectTokenResponse(await assertionTokenRequest(t, await assertion, { scope: 'read' })).access_token;
  const introspect = async (assertion: Promise<string>, token: string) => assertionPost(t, '/oauth/introspect', await assertion, { token });
  const revoke = async (assertion: Promise<string>, token: string) => assertionPost(t, '/oauth/revoke', await assertion, { token });

  it('the metadata advertises both methods and the accepted algorithms, on both well-known URLs', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await request(`${t.url}${path}`);
      expect(res.status).toBe(200);
      const doc = res.body;
      for (const endpoint of ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint']) {
        expect(doc[`${endpoint}_auth_methods_supported`], endpoint).toEqual(expect.arrayContaining(METHODS));
        const algs = doc[`${endpoint}_auth_signing_alg_values_supported`] as string[];
        expect(algs, endpoint).toEqual(expect.arrayContaining(['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'HS256', 'HS384', 'HS512']));
        expect(algs.map((alg) => alg.toLowerCase()), endpoint).not.toContain('none');
      }
    }
  });

  it('every advertised asymmetric algorithm is accepted in practice', async () => {
    const doc = (await request(`${t.url}/.well-known/oauth-authorization-server`)).body;
    const advertised = (doc.token_endpoint_auth_signing_alg_values_supported as string[]).filter((alg) => !alg.startsWith('HS'));
    expect(ASYMMETRIC_ALGS).toEqual(expect.arrayContaining(advertised));
    const pairs = await Promise.all(advertised.map((alg) => testKeyPair(alg as AsymmetricAlg)));
    const clients = pairs.map((pair, i) => ({ clientId: `alg-${i}`, jwks: jwksOf(pair), scopes: ['read'] }));
    const other = await bootTestApp({ platform, db, clock, options: { scopes: ['read'], clients } });
    try {
      for (const [i, pair] of pairs.entries()) {
        expectTokenResponse(await assertionTokenRequest(other, await signWithKey(pair, assertionClaims(`alg-${i}`, clock.now()))));
      }
    } finally {
      await other.close();
    }
  });

  it('introspection: private_key_jwt and client_secret_jwt callers, aud the introspection endpoint or the issuer', async () => {
    const token = await newToken(pk());
    for (const assertion of [pk(INTROSPECTION_ENDPOINT), pk(t.issuer), hs(INTROSPECTION_ENDPOINT), hs()]) {
      const res = await introspect(assertion, token);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ active: true, client_id: 'rs-pk', scope: 'read' });
    }
  });

  it('introspection: a bad assertion is 401 invalid_client; a good one of a client without the right is 403', async () => {
    const token = await newToken(pk());
    const bad = await signWithKey(plainKey, assertionClaims('rs-pk', clock.now()));
    const res = await assertionPost(t, '/oauth/introspect', bad, { token });
    expectAssertionRefused(res, bad);
    const denied = await introspect(pk(INTROSPECTION_ENDPOINT, 'plain-pk', plainKey), token);
    expectOAuthError(denied, 403, 'unauthorized_client');
  });

  it('revocation with private_key_jwt and client_secret_jwt: the token is revoked', async () => {
    for (const [mint, revoker] of [
      [pk, pk],
      [hs, hs],
    ] as const) {
      const token = await newToken(mint());
      const res = await revoke(revoker(REVOCATION_ENDPOINT), token);
      expect(res.status, res.text).toBe(200);
      expect((await introspect(pk(), token)).body).toEqual({ active: false });
    }
  });

  it('revocation with a bad assertion is 401 invalid_client and revokes nothing', async () => {
    const token = await newToken(pk());
    for (const bad of [
      await signWithKey(plainKey, assertionClaims('rs-pk', clock.now(), { aud: REVOCATION_ENDPOINT })),
      await signWithSecret('wrong-secret-0123456789abcdef0123', assertionClaims(HS.id, clock.now(), { aud: REVOCATION_ENDPOINT })),
      await signWithKey(key, assertionClaims('rs-pk', clock.now(), { aud: 'https://other.example/oauth/revoke' })),
    ]) {
      expectAssertionRefused(await assertionPost(t, '/oauth/revoke', bad, { token }), bad);
    }
    expect((await introspect(pk(), token)).body.active).toBe(true);
  });
});
