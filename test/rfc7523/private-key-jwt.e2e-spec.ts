import { decodeJwt, exportJWK } from 'jose';
import { ClientEntity } from '../../src/index.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { CLIENT_CREDENTIALS, expectTokenResponse, refusedWithoutSideEffects, tokenRequest } from '../token-endpoint/helpers.js';
import {
  asAlg,
  assertionClaims,
  assertionPost,
  assertionTokenRequest,
  expectAssertionRefused,
  jwksOf,
  signWithKey,
  testKeyPair,
  without,
  type AsymmetricAlg,
  type TestKeyPair,
} from './support/assertions.js';

/**
 * `private_key_jwt` (RFC 7523 section 2.2 and 3; OpenID Connect Core section 9) with keys registered inline as
 * `jwks`: every asymmetric algorithm, key selection by `kid`, the registered `token_endpoint_auth_signing_alg`,
 * the client's registered methods (Authlib 110-112; checklist 38, 39 "signed by a key not in the JWKS").
 * Assertions are signed by jose on the test side; time is a FakeClock.
 */
describe.each(testMatrix())('private_key_jwt with registered jwks on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  const SECRET = 'both-methods-secret-000001';
  let t: TestApp;
  let store: DbInspector;
  const pairs = {} as Record<AsymmetricAlg, TestKeyPair>;
  let single: TestKeyPair;
  let stranger: TestKeyPair;
  let rsa: TestKeyPair;

  beforeAll(async () => {
    for (const alg of ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const) pairs[alg] = await testKeyPair(alg);
    single = await testKeyPair('ES256');
    stranger = await testKeyPair('ES256', pairs.ES256.kid); // same kid as a registered key, another key
    rsa = await asAlg(await testKeyPair('RS256'), 'RS256'); // a registered JWK without `alg`
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read', 'write'],
        clients: [
          { clientId: 'pk-multi', jwks: jwksOf(...Object.values(pairs)), scopes: ['read'] },
          { clientId: 'pk-single', jwks: { keys: [{ ...without(single.publicJwk, 'kid', 'alg') } as { kty: string }] }, scopes: ['read'] },
          { clientId: 'pk-pinned', jwks: jwksOf(rsa), tokenEndpointAuthSigningAlg: 'PS256', scopes: ['read'] },
          { clientId: 'pk-both', clientSecret: SECRET, authMethods: ['client_secret_basic', 'private_key_jwt'], jwks: jwksOf(single), scopes: ['read'] },
          { clientId: 'basic-only', clientSecret: SECRET, scopes: ['read'] },
          { clientId: 'pk-disabled', jwks: jwksOf(single), scopes: ['read'], allowIntrospection: true },
          { clientId: 'pk-enc', jwks: { keys: [{ ...single.publicJwk, use: 'enc' } as { kty: string }] }, scopes: ['read'] },
          { clientId: 'pk-ops', jwks: { keys: [{ ...single.publicJwk, use: undefined, key_ops: ['encrypt'] } as { kty: string }] }, scopes: ['read'] },
          { clientId: 'pk-tampered', jwks: jwksOf(single), scopes: ['read'] },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  const claims = (clientId: string, overrides = {}) => assertionClaims(clientId, clock.now(), overrides);
  const refused = (send: Parameters<typeof refusedWithoutSideEffects>[1]) => refusedWithoutSideEffects(store, send);

  it.each(['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const)('a %s assertion authenticates the client (112)', async (alg) => {
    const res = await assertionTokenRequest(t, await signWithKey(pairs[alg], claims('pk-multi')), { scope: 'read' });
    const body = expectTokenResponse(res);
    expect(body.scope).toBe('read');
    expect(decodeJwt(body.access_token)).toMatchObject({ client_id: 'pk-multi', sub: 'pk-multi' });
  });

  it('picks the key by kid: a kid of another registered key, or of no key, is refused', async () => {
    const byOtherKid = await signWithKey(pairs.ES256, claims('pk-multi'), { kid: pairs.ES384.kid });
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, byOtherKid)), byOtherKid);
    const unknownKid = await signWithKey(pairs.ES256, claims('pk-multi'), { kid: 'no-such-kid' });
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, unknownKid)), unknownKid);
  });

  it('a key that is not in the client JWKS is refused, even under a registered kid (39)', async () => {
    const forged = await signWithKey(stranger, claims('pk-multi'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, forged)), forged);
    const otherClientsKey = await signWithKey(single, claims('pk-multi'), { kid: undefined });
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, otherClientsKey)));
  });

  it("a client's own key does not authenticate another client (sub and iss of another client)", async () => {
    const asOther = await signWithKey(pairs.ES256, claims('pk-single'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, asOther)), asOther);
  });

  it('without a kid, the only key of a one-key JWKS (whose JWK names no alg) is used', async () => {
    expectTokenResponse(await assertionTokenRequest(t, await signWithKey(single, claims('pk-single'), { kid: undefined })));
  });

  it('the alg must be one the key was registered for', async () => {
    const es384OverEs256 = await signWithKey({ ...pairs.ES256, alg: 'ES384' }, claims('pk-multi')).catch(() => undefined);
    // jose refuses to sign ES384 with a P-256 key; PS256 under the RS256-registered JWK is the case that matters.
    expect(es384OverEs256).toBeUndefined();
    const ps256 = await signWithKey(await asAlg(pairs.RS256, 'PS256'), claims('pk-multi'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, ps256)), ps256);
  });

  it('token_endpoint_auth_signing_alg: only the registered alg is accepted', async () => {
    const rs256 = await signWithKey(rsa, claims('pk-pinned'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, rs256)), rs256);
    expectTokenResponse(await assertionTokenRequest(t, await signWithKey(await asAlg(rsa, 'PS256'), claims('pk-pinned'))));
  });

  it('a client registered for client_secret_basic and private_key_jwt may use either', async () => {
    expectTokenResponse(await assertionTokenRequest(t, await signWithKey(single, claims('pk-both'))));
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic('pk-both', SECRET) }));
  });

  it('a client registered for another method cannot authenticate with an assertion (111, 38)', async () => {
    const assertion = await signWithKey(pairs.ES256, claims('basic-only'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
    // and a private_key_jwt-only client cannot fall back to a secret
    expectAssertionRefused(await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: 'pk-multi', client_secret: SECRET })));
  });

  it('an assertion for an unknown client is refused exactly like a wrong key (110, 34)', async () => {
    const unknown = await refused(() => signWithKey(pairs.ES256, claims('nobody')).then((jwt) => assertionTokenRequest(t, jwt)));
    const wrongKey = await refused(() => signWithKey(stranger, claims('pk-multi')).then((jwt) => assertionTokenRequest(t, jwt)));
    expectAssertionRefused(unknown);
    expectAssertionRefused(wrongKey);
    expect(unknown.text).toBe(wrongKey.text);
  });

  it('scopes are those of the authenticated client', async () => {
    const res = await assertionTokenRequest(t, await signWithKey(pairs.EdDSA, claims('pk-multi')), { scope: 'write' });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });

  it('a key registered for encryption (use enc, or key_ops without verify) does not verify assertions', async () => {
    for (const clientId of ['pk-enc', 'pk-ops']) {
      const assertion = await signWithKey(single, claims(clientId));
      expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
    }
  });

  it('a disabled client is refused at the token, revocation and introspection endpoints (38)', async () => {
    const token = expectTokenResponse(await assertionTokenRequest(t, await signWithKey(single, claims('pk-disabled')))).access_token;
    await authnestDataSource(t.app).getRepository(ClientEntity).update({ clientId: 'pk-disabled' }, { disabled: true });
    expectAssertionRefused(await refused(async () => assertionTokenRequest(t, await signWithKey(single, claims('pk-disabled')))));
    for (const path of ['/oauth/revoke', '/oauth/introspect']) {
      expectAssertionRefused(await assertionPost(t, path, await signWithKey(single, claims('pk-disabled')), { token }));
    }
  });

  it('keys stored for a client that are not public (e.g. written by another path) are not used', async () => {
    const privateJwk = { ...(await exportJWK(single.privateKey)), kid: single.kid, alg: single.alg };
    await authnestDataSource(t.app).getRepository(ClientEntity).update({ clientId: 'pk-tampered' }, { jwks: { keys: [privateJwk] } as never });
    const assertion = await signWithKey(single, claims('pk-tampered'));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
  });
});
