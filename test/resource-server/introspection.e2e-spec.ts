/**
 * Opaque access tokens at a standalone resource server, verified by RFC 7662 introspection at the real
 * authorization server (issue 4 item 6; security checklist items 55 and FL5). The issuer is an AuthModule app
 * behind a counting proxy; its tokens come from its token endpoint, revocations go through `POST /oauth/revoke`,
 * expiry is a FakeClock shared by both apps. Answers the real server never gives (malformed or foreign claims)
 * are made by the proxy tampering with the real server's answer for a real token.
 * Covered: discovery of `introspection_endpoint`, the request (POST form, `token_type_hint`, client
 * authentication by Basic or post), the checks on the answer, and the cache: per token, for `cacheTtl` but never
 * past `exp`, bounded by `cacheSize`, scopes re-checked on every route.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntrospectionOptions } from '../../src/index.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectInsufficientScope, expectInvalidToken, issueToken, issueTokenFor } from '../resource/support/resource-app.js';
import {
  ACCESS_TOKEN_TTL, INTROSPECT_PATH, INTROSPECTOR, OTHER_OPAQUE, WEB, bootIntrospectionIssuer, introspectAtIssuer, introspectingOptions,
  lastIntrospection, revokeAtIssuer, tamper, webTokens,
} from './support/introspection-fixture.js';
import { API_AUDIENCE, bootResourceServer, callApi, METADATA_PATH, type IssuerApp, type ResourceServerApp } from './support/resource-server-app.js';

describe.each(testMatrix())('introspection of opaque tokens at a standalone resource server on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 6, 1, 9, 0, 0));
  let as: IssuerApp;
  let rs: ResourceServerApp;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIntrospectionIssuer(platform, db, clock);
    rs = await resourceServer();
  });
  afterEach(() => as.proxy.reset());
  afterAll(async () => {
    for (const app of open) await app.close();
    await as?.close();
  });

  async function resourceServer(introspection: Partial<IntrospectionOptions> = {}): Promise<ResourceServerApp> {
    const app = await bootResourceServer({ platform, clock, options: introspectingOptions(as, introspection) });
    open.push(app);
    return app;
  }

  /** A real opaque access token of the issuer's `rs-opaque` client. */
  const opaqueToken = (scope = 'profile') => issueToken(as, 'opaque', scope);
  /** Introspection requests that reached the issuer so far. */
  const asked = () => as.proxy.count(INTROSPECT_PATH);

  it("accepts an active token, with @CurrentToken filled from the issuer's answer", async () => {
    const token = await opaqueToken('profile email');
    const res = await callApi(rs, '/api/me', token);
    expect(res.status, res.text).toBe(200);
    const truth = await introspectAtIssuer(as, token);
    expect(truth).toMatchObject({ active: true, token_type: 'Bearer', aud: API_AUDIENCE, iss: as.issuer });
    expect(res.body).toEqual({
      format: 'opaque',
      sub: 'rs-opaque',
      clientId: 'rs-opaque',
      scopes: ['profile', 'email'],
      aud: [API_AUDIENCE],
      iss: as.issuer,
      jti: truth.jti,
      iat: clock.nowSeconds(),
      exp: clock.nowSeconds() + ACCESS_TOKEN_TTL,
    });
  });

  it('discovers introspection_endpoint in the metadata and POSTs token, token_type_hint=access_token and Basic credentials', async () => {
    const fresh = await resourceServer();
    const token = await opaqueToken();
    const before = { metadata: as.proxy.count(METADATA_PATH), introspection: asked() };
    expect((await callApi(fresh, '/api/me', token)).status).toBe(200);
    expect([as.proxy.count(METADATA_PATH) - before.metadata, asked() - before.introspection]).toEqual([1, 1]);
    const { exchange, status, answer } = lastIntrospection(as);
    expect([exchange.method, exchange.headers['content-type'], exchange.headers.authorization]).toEqual([
      'POST',
      'application/x-www-form-urlencoded',
      basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret),
    ]);
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({ token, token_type_hint: 'access_token' });
    expect([status, answer.active]).toEqual([200, true]);
  });

  it('sends client_secret_post credentials in the body, to a configured introspection.endpoint without asking the metadata', async () => {
    const post = await resourceServer({ authMethod: 'client_secret_post', endpoint: `${as.issuer}${INTROSPECT_PATH}` });
    const token = await opaqueToken();
    const metadata = as.proxy.count(METADATA_PATH);
    expect((await callApi(post, '/api/me', token)).status).toBe(200);
    expect(as.proxy.count(METADATA_PATH)).toBe(metadata);
    const { exchange, status } = lastIntrospection(as);
    expect(exchange.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({
      token,
      token_type_hint: 'access_token',
      client_id: INTROSPECTOR.clientId,
      client_secret: INTROSPECTOR.clientSecret,
    });
    expect(status).toBe(200);
  });

  it('refuses unknown, revoked and expired tokens with 401 invalid_token (the issuer calls them inactive)', async () => {
    expectInvalidToken(await callApi(rs, '/api/me', 'x'.repeat(43)), as.issuer);
    expect(lastIntrospection(as).exchange.upstream?.body).toBe('{"active":false}');
    const revoked = await opaqueToken();
    await revokeAtIssuer(as, revoked);
    expectInvalidToken(await callApi(rs, '/api/me', revoked), as.issuer);
    expect(lastIntrospection(as).exchange.upstream?.body).toBe('{"active":false}');
    const expiring = await opaqueToken();
    expect((await callApi(rs, '/api/me', expiring)).status).toBe(200);
    clock.advance(ACCESS_TOKEN_TTL);
    expectInvalidToken(await callApi(rs, '/api/me', expiring), as.issuer);
    expect(lastIntrospection(as).exchange.upstream?.body).toBe('{"active":false}');
  });

  it("refuses an active token of the issuer that is meant for another API (its aud is not this API's)", async () => {
    const token = await issueTokenFor(as, OTHER_OPAQUE, 'profile');
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    expect(lastIntrospection(as).answer).toMatchObject({ active: true, aud: 'https://other.example.test' });
  });

  it('refuses a refresh token presented as a bearer token, while the access token of the same grant works, until the family is revoked', async () => {
    const uncached = await resourceServer({ cacheTtl: 0 });
    const { accessToken, refreshToken } = await webTokens(as);
    const me = await callApi(uncached, '/api/me', accessToken);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ sub: 'user-alice', clientId: WEB.clientId, scopes: ['profile'] });
    expectInvalidToken(await callApi(uncached, '/api/me', refreshToken), as.issuer);
    expect(lastIntrospection(as).answer).toMatchObject({ active: true, token_type: 'refresh_token', client_id: WEB.clientId });
    await revokeAtIssuer(as, refreshToken, WEB);
    expectInvalidToken(await callApi(uncached, '/api/me', accessToken), as.issuer);
  });

  // Answers the real issuer never gives, made by the proxy from its answer for a real, active token.
  const refused: [string, Record<string, unknown>][] = [
    ['for other audiences', { aud: ['https://a.example.test', 'https://b.example.test'] }],
    ['with a malformed aud', { aud: [API_AUDIENCE, 7] }],
    ['from another issuer', { iss: 'http://127.0.0.1:1' }],
    ['without exp', { exp: undefined }],
    ['with a string exp', { exp: '2099-01-01' }],
    ['without iat', { iat: undefined }],
    ['without sub', { sub: undefined }],
    ['without client_id', { client_id: undefined }],
    ['with active as a string', { active: 'true' }],
    ['of a DPoP-bound token', { token_type: 'DPoP' }],
    ['of a refresh token (token_use)', { token_use: 'refresh_token' }],
    ['with a malformed scope', { scope: 'pro"file' }],
    ['with a non-string scope', { scope: ['profile'] }],
  ];
  it.each(refused)('refuses an active answer %s', async (_, overrides) => {
    as.proxy.only = INTROSPECT_PATH;
    as.proxy.rewrite = tamper(overrides);
    expectInvalidToken(await callApi(rs, '/api/me', await opaqueToken()), as.issuer);
    expect(lastIntrospection(as).answer.active).toBe(true);
  });

  it('accepts answers with optional members absent or in other allowed forms', async () => {
    as.proxy.only = INTROSPECT_PATH;
    const forms: Record<string, unknown>[] = [{ aud: undefined }, { aud: ['https://x.example.test', API_AUDIENCE] }, { token_type: 'bearer' }, { iss: undefined }];
    for (const overrides of forms) {
      as.proxy.rewrite = tamper(overrides);
      const res = await callApi(rs, '/api/me', await opaqueToken());
      expect(res.status, `${JSON.stringify(overrides)}: ${res.text}`).toBe(200);
    }
    as.proxy.rewrite = tamper({ jti: undefined, aud: undefined, token_type: undefined, iss: undefined });
    const bare = await callApi(rs, '/api/me', await opaqueToken());
    expect(bare.status, bare.text).toBe(200);
    expect([bare.body.jti, bare.body.aud, bare.body.iss]).toEqual(['', [], as.issuer]);
  });

  it('checks the scope of a cached answer on every route (checklist 55, CVE-2021-32701)', async () => {
    const token = await opaqueToken();
    const before = asked();
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expectInsufficientScope(await callApi(rs, '/api/admin', token), 'admin', as.issuer);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(asked() - before).toBe(1);
  });

  it('remembers an active answer for introspection.cacheTtl: a revocation at the issuer shows after at most that long', async () => {
    const token = await opaqueToken();
    const before = asked();
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    await revokeAtIssuer(as, token);
    clock.advance(29);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(asked() - before).toBe(1);
    clock.advance(1);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    expect(asked() - before).toBe(2);
  });

  it("never remembers an answer past the token's exp, however long cacheTtl is", async () => {
    const long = await resourceServer({ cacheTtl: 3600 });
    const token = await opaqueToken();
    const before = asked();
    expect((await callApi(long, '/api/me', token)).status).toBe(200);
    clock.advance(ACCESS_TOKEN_TTL - 1);
    expect((await callApi(long, '/api/me', token)).status).toBe(200);
    expect(asked() - before).toBe(1);
    clock.advance(1);
    expectInvalidToken(await callApi(long, '/api/me', token), as.issuer);
    expect(asked() - before).toBe(2);
  });

  it('refuses a token past its exp even when the endpoint still calls it active', async () => {
    const exp = clock.nowSeconds() + 10;
    as.proxy.only = INTROSPECT_PATH;
    as.proxy.rewrite = tamper({ exp }); // the real token lives on; the answer says it ends in 10 s
    const token = await opaqueToken();
    const before = asked();
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    clock.advance(9);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(asked() - before).toBe(1);
    clock.advance(1);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    expect(asked() - before).toBe(2);
    expect(lastIntrospection(as).answer).toMatchObject({ active: true });
  });

  it('holds at most introspection.cacheSize answers, dropping the oldest', async () => {
    const small = await resourceServer({ cacheSize: 2 });
    const [a, b, c] = await Promise.all([opaqueToken(), opaqueToken(), opaqueToken()]);
    const before = asked();
    const asks = async (token: string) => {
      const count = asked();
      expect((await callApi(small, '/api/me', token)).status).toBe(200);
      return asked() - count;
    };
    expect([await asks(a), await asks(b), await asks(c)]).toEqual([1, 1, 1]);
    expect([await asks(c), await asks(b)]).toEqual([0, 0]);
    expect(await asks(a)).toBe(1);
    expect([await asks(c), await asks(a)]).toEqual([0, 0]);
    expect(await asks(b)).toBe(1);
    expect(asked() - before).toBe(5);
  });

  it('introspects on every request with introspection.cacheTtl 0', async () => {
    const uncached = await resourceServer({ cacheTtl: 0 });
    const token = await opaqueToken();
    const before = asked();
    for (let i = 0; i < 3; i += 1) expect((await callApi(uncached, '/api/me', token)).status).toBe(200);
    expect(asked() - before).toBe(3);
  });
});
