import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import { ApiController, callApi, CLIENT_CREDENTIALS, expectOAuthError, expectTokenResponse, tokenRequest } from './helpers.js';

/** A fixed instant (2030-03-17T17:46:40Z), so iat and exp are known exactly. */
const NOW = 1_900_000_000_000;
const TTL = 900;
const LEEWAY = 5;
const API_AUDIENCE = 'https://api.example.test';

/** JWT access tokens (RFC 9068) issued to the client credentials grant. */
describe.each(testMatrix())('JWT access tokens on %s/%s', (platform, db) => {
  const SERVICE = { id: 'service', secret: 'service-secret-0001' };
  const BARE = { id: 'bare', secret: 'bare-secret-000002' };
  const ELSEWHERE = { id: 'elsewhere', secret: 'elsewhere-secret-03' };
  const clock = new FakeClock(NOW);
  let t: TestApp;
  let store: DbInspector;

  const issue = async (who: { id: string; secret: string }, form: Record<string, string> = {}) =>
    expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, ...form }, { authorization: basic(who.id, who.secret) }));

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      clock,
      controllers: [ApiController],
      options: {
        scopes: ['a', 'b'],
        accessToken: { ttl: TTL },
        resource: { leeway: LEEWAY },
        clients: [
          { clientId: SERVICE.id, clientSecret: SERVICE.secret, scopes: ['a', 'b'], defaultScopes: ['a'] },
          { clientId: BARE.id, clientSecret: BARE.secret },
          { clientId: ELSEWHERE.id, clientSecret: ELSEWHERE.secret, audience: API_AUDIENCE },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it('is a JWT with typ at+jwt, alg ES256 by default, and a kid (RFC 9068 section 2.1)', async () => {
    const { access_token } = await issue(SERVICE);
    expect(access_token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(access_token)).toEqual({ typ: 'at+jwt', alg: 'ES256', kid: expect.any(String) });
  });

  it('carries exactly iss, sub = client_id, aud = issuer, client_id, scope, jti, iat and exp = iat + ttl (section 2.2)', async () => {
    const { access_token, expires_in } = await issue(SERVICE, { scope: 'a b' });
    const iat = Math.floor(NOW / 1000);
    expect(decodeJwt(access_token)).toEqual({
      iss: t.issuer,
      sub: SERVICE.id,
      aud: t.issuer,
      client_id: SERVICE.id,
      scope: 'a b',
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      iat,
      exp: iat + TTL,
    });
    expect(expires_in).toBe(TTL);
  });

  it('verifies with jose against the JWKS endpoint, for this issuer and audience', async () => {
    const { access_token } = await issue(SERVICE);
    const jwks = createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(access_token, jwks, {
      issuer: t.issuer,
      audience: t.issuer,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
      currentDate: new Date(NOW),
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload.scope).toBe('a');
  });

  it('gives every token its own jti', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 3; i++) jtis.add(decodeJwt((await issue(SERVICE)).access_token).jti);
    expect(jtis.size).toBe(3);
  });

  it('leaves out the scope claim when no scope was granted', async () => {
    const claims = decodeJwt((await issue(BARE)).access_token);
    expect(claims).not.toHaveProperty('scope');
    expect(claims.sub).toBe(BARE.id);
  });

  it("uses the client's audience override for aud, which this app's guard (audience = issuer) refuses", async () => {
    const { access_token } = await issue(ELSEWHERE);
    expect(decodeJwt(access_token).aud).toBe(API_AUDIENCE);
    const res = await callApi(t, '/api/any', access_token);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('is recorded by hash only (for introspection and revocation): one row per JWT, never the JWT', async () => {
    const before = await store.count('authnest_access_tokens');
    await issue(SERVICE);
    expect(await store.count('authnest_access_tokens')).toBe(before + 1);
  });

  it('is accepted until exp (plus the leeway) and refused after it', async () => {
    const { access_token } = await issue(SERVICE);
    expect((await callApi(t, '/api/a', access_token)).status).toBe(200);
    clock.advance(TTL + LEEWAY - 1);
    expect((await callApi(t, '/api/a', access_token)).status).toBe(200);
    clock.advance(2);
    const expired = await callApi(t, '/api/a', access_token);
    expectOAuthError(expired, 401, 'invalid_token');
    const fresh = await issue(SERVICE);
    expect(decodeJwt(fresh.access_token).iat).toBe(Math.floor(NOW / 1000) + TTL + LEEWAY + 1);
    expect((await callApi(t, '/api/a', fresh.access_token)).status).toBe(200);
  });
});
