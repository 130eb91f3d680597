import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { CLIENT_CREDENTIALS, expectBasicChallenge, expectTokenResponse, refusedWithoutSideEffects, tokenRequest } from '../token-endpoint/helpers.js';
import { assertionClaims, assertionTokenRequest, expectAssertionRefused, jwksOf, signWithSecret, testKeyPair, type TestKeyPair } from './support/assertions.js';

/**
 * `client_secret_jwt` (RFC 7523 section 2.2; OpenID Connect Core section 9): an HMAC assertion keyed with the
 * client secret, which authnest keeps sealed for this beside its scrypt hash (Authlib 109, 111, 112; checklist 38,
 * 39 "HS256 keyed with the public key"; K: no secret in clear at rest).
 */
describe.each(testMatrix())('client_secret_jwt on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  const HS = { id: 'hs-client', secret: 'hs-client-secret-0123456789abcdef' };
  const PINNED = { id: 'hs-pinned', secret: 'hs-pinned-secret-0123456789abcdef' };
  const BOTH = { id: 'hs-both', secret: 'hs-both-secret-0123456789abcdef01' };
  const BASIC = { id: 'basic-only', secret: 'basic-only-secret-0123456789abcd' };
  let t: TestApp;
  let store: DbInspector;
  let pk: TestKeyPair;

  beforeAll(async () => {
    pk = await testKeyPair('RS256');
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clients: [
          { clientId: HS.id, clientSecret: HS.secret, authMethods: ['client_secret_jwt'], scopes: ['read'] },
          { clientId: PINNED.id, clientSecret: PINNED.secret, authMethods: ['client_secret_jwt'], tokenEndpointAuthSigningAlg: 'HS512', scopes: ['read'] },
          { clientId: BOTH.id, clientSecret: BOTH.secret, authMethods: ['client_secret_basic', 'client_secret_jwt'], scopes: ['read'] },
          { clientId: BASIC.id, clientSecret: BASIC.secret, scopes: ['read'] },
          { clientId: 'pk-client', jwks: jwksOf(pk), scopes: ['read'] },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  const claims = (clientId: string) => assertionClaims(clientId, clock.now());
  const refused = (send: Parameters<typeof refusedWithoutSideEffects>[1]) => refusedWithoutSideEffects(store, send);

  it.each(['HS256', 'HS384', 'HS512'] as const)('an %s assertion under the client secret authenticates the client (112)', async (alg) => {
    expectTokenResponse(await assertionTokenRequest(t, await signWithSecret(HS.secret, claims(HS.id), alg)));
  });

  it('a wrong secret is refused: another secret, a changed case, one character more or less (109)', async () => {
    for (const secret of ['not-the-secret-0123456789abcdef01', HS.secret.toUpperCase(), `${HS.secret}x`, HS.secret.slice(0, -1), BOTH.secret]) {
      const assertion = await signWithSecret(secret, claims(HS.id));
      expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
    }
  });

  it('the secret zero-padded (an HMAC key of the same effect in some libraries) is refused', async () => {
    const padded = new Uint8Array(128);
    padded.set(new TextEncoder().encode(HS.secret));
    const assertion = await signWithSecret(padded, claims(HS.id));
    expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
  });

  it('token_endpoint_auth_signing_alg: only the registered HMAC alg is accepted', async () => {
    for (const alg of ['HS256', 'HS384'] as const) {
      expectAssertionRefused(await refused(async () => assertionTokenRequest(t, await signWithSecret(PINNED.secret, claims(PINNED.id), alg))));
    }
    expectTokenResponse(await assertionTokenRequest(t, await signWithSecret(PINNED.secret, claims(PINNED.id), 'HS512')));
  });

  it('a client registered for client_secret_basic and client_secret_jwt may use either', async () => {
    expectTokenResponse(await assertionTokenRequest(t, await signWithSecret(BOTH.secret, claims(BOTH.id))));
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(BOTH.id, BOTH.secret) }));
  });

  it('the registered method is enforced both ways (111, 38)', async () => {
    // A client_secret_basic client signing with its own, correct secret.
    expectAssertionRefused(await refused(async () => assertionTokenRequest(t, await signWithSecret(BASIC.secret, claims(BASIC.id)))));
    // A client_secret_jwt client sending its correct secret instead.
    expectBasicChallenge(await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(HS.id, HS.secret) })), t.issuer);
    expectAssertionRefused(await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: HS.id, client_secret: HS.secret })));
  });

  it('HS256 keyed with the public key of a private_key_jwt client is refused (key confusion, 39, 46)', async () => {
    const spki = String(createPublicKey({ key: pk.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
    for (const key of [JSON.stringify(pk.publicJwk), spki, spki.trimEnd(), String(pk.publicJwk.n)]) {
      for (const alg of ['HS256', 'HS512'] as const) {
        const assertion = await signWithSecret(key, claims('pk-client'), alg);
        expectAssertionRefused(await refused(() => assertionTokenRequest(t, assertion)), assertion);
      }
    }
  });

  it('the secret is at rest only as a hash and sealed, never in clear', async () => {
    const rows = await store.rows('authnest_clients');
    const dump = JSON.stringify(rows);
    expect(rows.length).toBe(5);
    for (const secret of [HS.secret, PINNED.secret, BOTH.secret, Buffer.from(HS.secret).toString('base64'), Buffer.from(HS.secret).toString('hex')]) {
      expect(dump).not.toContain(secret);
    }
  });
});
