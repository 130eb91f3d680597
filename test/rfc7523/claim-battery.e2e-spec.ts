import { randomUUID } from 'node:crypto';
import { CompactSign, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { CLIENT_CREDENTIALS, expectOAuthError, expectTokenResponse, refusedWithoutSideEffects, tokenRequest } from '../token-endpoint/helpers.js';
import {
  ASSERTION_TYPE,
  assertionClaims,
  assertionTokenRequest,
  expectAssertionRefused,
  INTROSPECTION_ENDPOINT,
  jwksOf,
  rawJwt,
  REVOCATION_ENDPOINT,
  seconds,
  signWithKey,
  testKeyPair,
  TOKEN_ENDPOINT,
  without,
  type TestKeyPair,
} from './support/assertions.js';

/** What a case has to build its assertion: the registered key of `jwt1`, an attacker key, and the time. */
interface Ctx {
  key: TestKeyPair;
  attacker: TestKeyPair;
  now: number;
  base: (overrides?: JWTPayload) => JWTPayload;
}

type Case = [name: string, build: (ctx: Ctx) => Promise<Record<string, string>>];

const jwt = (assertion: string) => ({ client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
const signed = (claims: (ctx: Ctx) => JWTPayload, header: Record<string, unknown> = {}) => async (ctx: Ctx) =>
  jwt(await signWithKey(ctx.key, claims(ctx), header));

/**
 * Every way a `private_key_jwt` assertion can be wrong (checklist 39; Authlib 108, 113, 115, 116, 118; RFC 7523
 * section 3; RFC 8725 section 3.1): each is 401 `invalid_client` and issues nothing. The accepted boundaries
 * (leeway 5 s, `maxLifetime` 300 s, `aud` forms of item 117) are checked too, so the refusals are not vacuous.
 */
describe.each(testMatrix())('client assertion claim battery on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let t: TestApp;
  let store: DbInspector;
  let ctx: Ctx;

  beforeAll(async () => {
    const key = await testKeyPair('ES256');
    ctx = {
      key,
      attacker: await testKeyPair('ES256', key.kid),
      get now() {
        return seconds(clock.now());
      },
      base: (overrides = {}) => assertionClaims('jwt1', clock.now(), overrides),
    };
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clients: [
          { clientId: 'jwt1', jwks: jwksOf(key), scopes: ['read'] },
          { clientId: 'jwt2', jwks: jwksOf(await testKeyPair('ES256')), scopes: ['read'] },
          { clientId: 'web1', clientSecret: 'web1-secret-000000001', scopes: ['read'] },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  const refusals: Case[] = [
    // iss, sub (115, 116)
    ['iss is another client', signed((c) => c.base({ iss: 'jwt2' }))],
    ['iss is missing', signed((c) => without(c.base(), 'iss'))],
    ['sub is another client', signed((c) => c.base({ sub: 'jwt2' }))],
    ['sub is missing', signed((c) => without(c.base(), 'sub'))],
    ['sub and iss are a number', signed((c) => c.base({ sub: 1 as never, iss: 1 as never }))],
    ['iss = sub = another client, signed with this key', signed((c) => c.base({ iss: 'jwt2', sub: 'jwt2' }))],
    // aud (117 and rfc7523bis: only this server)
    ['aud of another server', signed((c) => c.base({ aud: 'https://other.example/oauth/token' }))],
    ['aud is missing', signed((c) => without(c.base(), 'aud'))],
    ['aud is an empty array', signed((c) => c.base({ aud: [] }))],
    ['aud is an array with a non-string', signed((c) => c.base({ aud: [TOKEN_ENDPOINT, 42 as never] }))],
    ['aud is a number', signed((c) => c.base({ aud: 42 as never }))],
    ['aud is the issuer with a trailing slash', signed((c) => c.base({ aud: `${TEST_ISSUER}/` }))],
    ['aud is the authorization endpoint', signed((c) => c.base({ aud: `${TEST_ISSUER}/oauth/authorize` }))],
    ['aud is the token endpoint with a query', signed((c) => c.base({ aud: `${TOKEN_ENDPOINT}?x=1` }))],
    ['aud is the token endpoint in upper case', signed((c) => c.base({ aud: TOKEN_ENDPOINT.toUpperCase() }))],
    // exp (116, 39)
    ['exp is missing', signed((c) => without(c.base(), 'exp'))],
    ['exp is 5 minutes in the past', signed((c) => c.base({ iat: c.now - 360, exp: c.now - 300 }))],
    ['exp is just beyond the leeway in the past', signed((c) => c.base({ iat: c.now - 60, exp: c.now - 6 }))],
    ['exp is an hour ahead (maxLifetime 300)', signed((c) => c.base({ exp: c.now + 3600 }))],
    ['exp is just beyond maxLifetime + leeway', signed((c) => c.base({ exp: c.now + 306 }))],
    ['exp is a string', signed((c) => c.base({ exp: String(c.now + 60) as never }))],
    // nbf, iat
    ['nbf is a minute ahead', signed((c) => c.base({ nbf: c.now + 60 }))],
    ['iat is a minute ahead', signed((c) => c.base({ iat: c.now + 60 }))],
    ['iat is a string', signed((c) => c.base({ iat: String(c.now) as never }))],
    // jti (113)
    ['jti is missing', signed((c) => without(c.base(), 'jti'))],
    ['jti is empty', signed((c) => c.base({ jti: '' }))],
    ['jti is a number', signed((c) => c.base({ jti: 42 as never }))],
    ['jti is 256 characters', signed((c) => c.base({ jti: 'j'.repeat(256) }))],
    // header and signature (RFC 8725)
    ['alg none', async (c) => jwt(rawJwt({ alg: 'none' }, c.base()))],
    ['alg none without the trailing dot', async (c) => jwt(rawJwt({ alg: 'none' }, c.base()).slice(0, -1))],
    ['alg None', async (c) => jwt(rawJwt({ alg: 'None' }, c.base()))],
    ['alg NONE with a signature', async (c) => jwt(rawJwt({ alg: 'NONE' }, c.base(), 'c2ln'))],
    ['no alg', async (c) => jwt(rawJwt({ kid: c.key.kid }, c.base(), 'c2ln'))],
    ['signed by a key not in the JWKS, same kid', async (c) => jwt(await signWithKey(c.attacker, c.base()))],
    ['signed by an attacker key carried in the header (jwk)', async (c) => jwt(await signWithKey(c.attacker, c.base(), { jwk: c.attacker.publicJwk }))],
    ['a signature of other claims', async (c) => {
      const [header, , signature] = (await signWithKey(c.key, c.base())).split('.');
      return jwt(`${header}.${Buffer.from(JSON.stringify(c.base({ sub: 'jwt1', scope: 'admin' }))).toString('base64url')}.${signature}`);
    }],
    ['a critical header extension', async (c) => jwt(await signedRaw(c, JSON.stringify(c.base()), { crit: ['x-unknown'], 'x-unknown': true }))],
    ['protected header null', async (c) => jwt(rawJwt('null', c.base(), 'c2ln'))],
    ['protected header an array', async (c) => jwt(rawJwt([{ alg: 'ES256' }], c.base(), 'c2ln'))],
    ['protected header not JSON', async (c) => jwt(`${Buffer.from('{alg:ES256').toString('base64url')}.${Buffer.from(JSON.stringify(c.base())).toString('base64url')}.c2ln`)],
    // payload and shape (118)
    ['payload a JSON string', async (c) => jwt(await signedRaw(c, '"jwt1"'))],
    ['payload a JSON array', async (c) => jwt(await signedRaw(c, '["jwt1"]'))],
    ['payload null', async (c) => jwt(await signedRaw(c, 'null'))],
    ['payload not JSON', async (c) => jwt(await signedRaw(c, 'iss=jwt1'))],
    ['two parts', async (c) => jwt((await signWithKey(c.key, c.base())).split('.').slice(0, 2).join('.'))],
    ['five parts (a JWE shape)', async (c) => jwt(`${await signWithKey(c.key, c.base())}.e30.e30`)],
    ['an empty assertion', async () => jwt('')],
    // parameters (108, 35)
    ['client_assertion_type of SAML', async (c) => ({ ...jwt(await signWithKey(c.key, c.base())), client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' })],
    ['client_assertion_type missing', async (c) => ({ client_assertion: await signWithKey(c.key, c.base()) })],
    ['client_assertion_type without client_assertion (108)', async () => ({ client_assertion_type: ASSERTION_TYPE })],
    ['client_id of another client beside the assertion (35)', async (c) => ({ ...jwt(await signWithKey(c.key, c.base())), client_id: 'jwt2' })],
  ];

  it.each(refusals)('%s: 401 invalid_client, nothing issued', async (_name, build) => {
    const form = await build(ctx);
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, { ...CLIENT_CREDENTIALS, ...form }));
    expectAssertionRefused(res, form.client_assertion);
  });

  const accepted: Case[] = [
    ['aud the issuer (117)', signed((c) => c.base({ aud: TEST_ISSUER }))],
    ['aud the token endpoint', signed((c) => c.base({ aud: TOKEN_ENDPOINT }))],
    ['aud an array naming another audience and the token endpoint', signed((c) => c.base({ aud: ['https://other.example', TOKEN_ENDPOINT] }))],
    ['aud the revocation endpoint', signed((c) => c.base({ aud: REVOCATION_ENDPOINT }))],
    ['aud the introspection endpoint', signed((c) => c.base({ aud: INTROSPECTION_ENDPOINT }))],
    ['exp exactly maxLifetime ahead', signed((c) => c.base({ exp: c.now + 300 }))],
    ['exp within the leeway in the past', signed((c) => c.base({ iat: c.now - 60, exp: c.now - 4 }))],
    ['nbf and iat within the leeway ahead', signed((c) => c.base({ nbf: c.now + 4, iat: c.now + 4 }))],
    ['no iat', signed((c) => without(c.base(), 'iat'))],
    ['jti of 255 characters', signed((c) => c.base({ jti: 'j'.repeat(255) }))],
    ['client_id naming the client too', async (c) => ({ ...jwt(await signWithKey(c.key, c.base())), client_id: 'jwt1' })],
    ['typ JWT and extra claims', signed((c) => c.base({ scope: 'ignored', extra: { nested: true } }), { typ: 'JWT' })],
  ];

  it.each(accepted)('accepted: %s', async (_name, build) => {
    expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, ...(await build(ctx)) }));
  });

  it('aud the real URL the app listens on is not this issuer (the issuer names the server)', async () => {
    const assertion = await signWithKey(ctx.key, ctx.base({ aud: `${t.url}/oauth/token` }));
    expectAssertionRefused(await assertionTokenRequest(t, assertion), assertion);
  });

  it('an assertion together with a client secret or Basic credentials: 400 invalid_request, nobody authenticated (35)', async () => {
    const assertion = await signWithKey(ctx.key, ctx.base());
    const withSecret = await refusedWithoutSideEffects(store, () => assertionTokenRequest(t, assertion, { client_id: 'jwt1', client_secret: 'x' }));
    expectOAuthError(withSecret, 400, 'invalid_request');
    const withBasic = await refusedWithoutSideEffects(store, () =>
      tokenRequest(t, { ...CLIENT_CREDENTIALS, ...jwt(assertion) }, { authorization: basic('web1', 'web1-secret-000000001') }),
    );
    expectOAuthError(withBasic, 400, 'invalid_request');
    // Neither refusal used the jti up.
    expectTokenResponse(await assertionTokenRequest(t, assertion));
  });

  it('a refused assertion does not use its jti up; an accepted one does', async () => {
    const jti = randomUUID();
    const wrongAud = await signWithKey(ctx.key, ctx.base({ jti, aud: 'https://other.example' }));
    expectAssertionRefused(await assertionTokenRequest(t, wrongAud));
    expectTokenResponse(await assertionTokenRequest(t, await signWithKey(ctx.key, ctx.base({ jti }))));
    expectAssertionRefused(await assertionTokenRequest(t, await signWithKey(ctx.key, ctx.base({ jti, exp: ctx.now + 120 }))));
  });

  it('an assertion over 16 kB is refused before it is read: 400 invalid_request, nothing issued', async () => {
    const long = await signWithKey(ctx.key, ctx.base({ pad: 'x'.repeat(20_000) }));
    const res = await refusedWithoutSideEffects(store, () => assertionTokenRequest(t, long));
    expectOAuthError(res, 400, 'invalid_request');
    expect(res.text).not.toContain(long.slice(0, 40));
  });

  it('the assertion parameters given twice: refused, nothing issued', async () => {
    const a = await signWithKey(ctx.key, ctx.base());
    const body = new URLSearchParams([...Object.entries(CLIENT_CREDENTIALS), ['client_assertion_type', ASSERTION_TYPE], ['client_assertion', a], ['client_assertion', a]]);
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, body.toString()));
    expect(res.body.error, res.text).toMatch(/^invalid_(request|client)$/);
  });
});

/** A JWS over an arbitrary payload string, properly signed with the client's key. */
function signedRaw(ctx: Ctx, payload: string, header: Record<string, unknown> = {}): Promise<string> {
  const crit = Object.fromEntries(((header.crit as string[] | undefined) ?? []).map((name) => [name, true]));
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: ctx.key.alg, kid: ctx.key.kid, ...header })
    .sign(ctx.key.privateKey, { crit });
}
