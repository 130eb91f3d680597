/**
 * Standalone resource server, JWT access tokens (issue 4 item 6; RFC 9068 section 4; security checklist items
 * 42, 43, 48, 52, 53): a separate Nest app with only `AuthResourceModule` verifies the tokens a real
 * authorization server app issued, with the same `@RequireScope` / `@CurrentToken` controllers and the same
 * RFC 6750 answers as `AuthModule`'s guard; tokens for another audience, from another issuer, of another type
 * or with attacker-chosen key references are refused.
 */
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectInsufficientScope, expectInvalidToken, expectNoCredentials, issueToken, issueTokenFor } from '../resource/support/resource-app.js';
import { accessTokenClaims, b64url, inspect, signAsServer, signJws } from '../resource/support/jwt-forge.js';
import { CountingProxy } from './support/counting-proxy.js';
import {
  API_AUDIENCE,
  bootIssuer,
  bootResourceServer,
  callApi,
  OTHER_API_CLIENT,
  type IssuerApp,
  type ResourceServerApp,
} from './support/resource-server-app.js';

describe.each(testMatrix())('standalone resource server, JWT access tokens, on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 2, 1, 9, 0, 0));
  let as: IssuerApp;
  let foreign: IssuerApp;
  let rs: ResourceServerApp;
  let canary: CountingProxy;

  beforeAll(async () => {
    as = await bootIssuer(platform, db, { clock });
    // A second authorization server (its own keys and issuer), booted before the resource server: passport keeps
    // one strategy per name for the whole process, and the resource server's must be the last registered.
    foreign = await bootIssuer(platform, db, { clock });
    canary = await CountingProxy.start();
    rs = await bootResourceServer({ platform, clock, options: { issuer: as.issuer, audience: API_AUDIENCE } });
  });
  afterAll(async () => {
    await rs?.close();
    await canary?.stop();
    await foreign?.close();
    await as?.close();
  });

  /** Claims of a token of `as` for the API, with the wall clock of the fake clock. */
  const claims = (t: TestApp = as) => ({ ...accessTokenClaims(t, clock.nowSeconds()), aud: API_AUDIENCE });

  it('accepts an issued JWT on a @RequireScope route, with @CurrentToken filled from its claims', async () => {
    const token = await issueToken(as, 'jwt', 'profile email');
    const res = await callApi(rs, '/api/me', token);
    expect(res.status, res.text).toBe(200);
    const { jti } = inspect(token).claims;
    expect(res.body).toEqual({
      format: 'jwt',
      sub: 'rs-jwt',
      clientId: 'rs-jwt',
      scopes: ['profile', 'email'],
      aud: [API_AUDIENCE],
      iss: as.issuer,
      jti,
      iat: clock.nowSeconds(),
      exp: clock.nowSeconds() + 3600,
    });
  });

  it('answers like AuthModule: no token 401 with a bare challenge, missing scope 403, any-of scopes', async () => {
    expectNoCredentials(await callApi(rs, '/api/me'), as.issuer);
    const token = await issueToken(as, 'jwt', 'profile email');
    expectInsufficientScope(await callApi(rs, '/api/admin', token), 'admin', as.issuer);
    const either = await callApi(rs, '/api/either', token);
    expect(either.status, either.text).toBe(200);
    expect((await callApi(rs, '/api/admin', await issueToken(as, 'jwt', 'admin'))).body).toEqual({ sub: 'rs-jwt' });
  });

  it('serves AuthnestPassportGuard from the same verifier', async () => {
    const res = await callApi(rs, '/passport/me', await issueToken(as, 'jwt', 'profile'));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ clientId: 'rs-jwt' });
    expectNoCredentials(await callApi(rs, '/passport/me'), as.issuer);
    expectInvalidToken(await callApi(rs, '/passport/me', 'not-a-token.x.y'), as.issuer);
  });

  it('refuses a token of the same issuer for another audience', async () => {
    const token = await issueTokenFor(as, OTHER_API_CLIENT, 'profile');
    expect(inspect(token).claims.aud).toBe(OTHER_API_CLIENT.audience);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
  });

  it('refuses a token signed with the real key whose iss or aud was changed, and accepts it unchanged', async () => {
    expect((await callApi(rs, '/api/me', await signAsServer(as, { claims: claims() }))).status).toBe(200);
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), iss: 'http://127.0.0.1:1' } })));
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), iss: `${as.issuer}/` } })));
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), aud: as.issuer } })));
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), aud: undefined } })));
    const both = await signAsServer(as, { claims: { ...claims(), aud: ['https://x.example.test', API_AUDIENCE] } });
    expect((await callApi(rs, '/api/me', both)).status).toBe(200);
  });

  it('refuses a token issued by another authorization server, even for the same audience', async () => {
    const token = await issueToken(foreign, 'jwt', 'profile');
    expect(inspect(token).claims.aud).toBe(API_AUDIENCE);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    const withOurIss = await signAsServer(foreign, { claims: { ...claims(), iss: as.issuer } });
    expectInvalidToken(await callApi(rs, '/api/me', withOurIss), as.issuer);
  });

  it('checks typ, the RFC 9068 claims and the algorithm like the local verifier', async () => {
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: claims(), header: { typ: 'JWT' } })));
    for (const missing of ['sub', 'jti', 'client_id', 'iat', 'exp']) {
      expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), [missing]: undefined } })));
    }
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), scope: 'pro"file' } })));
    expectInvalidToken(await callApi(rs, '/api/me', await signAsServer(as, { claims: { ...claims(), exp: '2099-01-01' } })));
    const unsigned = `${b64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${b64url(JSON.stringify(claims()))}.`;
    expectInvalidToken(await callApi(rs, '/api/me', unsigned));
  });

  it('refuses an expired token, with leeway', async () => {
    const token = await issueToken(as, 'jwt', 'profile');
    const exp = Number(inspect(token).claims.exp);
    const at = (seconds: number) => new FakeClock(seconds * 1000);
    const rsAt = (seconds: number) => bootResourceServer({ platform, clock: at(seconds), options: { issuer: as.issuer, audience: API_AUDIENCE } });
    const late = await rsAt(exp + 4);
    const later = await rsAt(exp + 5);
    try {
      expect((await callApi(late, '/api/me', token)).status).toBe(200);
      const res = await callApi(later, '/api/me', token);
      expectInvalidToken(res, as.issuer);
      expect(res.body.error_description).toBe('The access token expired');
    } finally {
      await late.close();
      await later.close();
    }
  });

  it('never follows jku, x5u or an embedded jwk: refused, and nothing is fetched from the named URL', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const base = { alg: 'ES256', typ: 'at+jwt' } as const;
    const headers = [
      { ...base, kid: 'attacker', jku: `${canary.url}/jwks` },
      { ...base, kid: 'attacker', x5u: `${canary.url}/cert.pem` },
      { ...base, jwk },
    ];
    for (const header of headers) {
      expectInvalidToken(await callApi(rs, '/api/me', await signJws(attacker.privateKey, header, claims())));
    }
    expect([canary.count('/jwks'), canary.count('/cert.pem')]).toEqual([0, 0]);
  });

  it('uses the configured realm in every challenge', async () => {
    const custom = await bootResourceServer({ platform, clock, options: { issuer: as.issuer, audience: API_AUDIENCE, realm: 'orders-api' } });
    try {
      expectNoCredentials(await callApi(custom, '/api/me'), 'orders-api');
      expectInsufficientScope(await callApi(custom, '/api/admin', await issueToken(as, 'jwt', 'profile')), 'admin', 'orders-api');
    } finally {
      await custom.close();
    }
  });
});
