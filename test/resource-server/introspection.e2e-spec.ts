/**
 * Opaque access tokens at a standalone resource server, verified by RFC 7662 introspection (issue 4 item 6;
 * security checklist items 55 and FL5). TEST-ONLY STAND-IN: authnest's own `POST /oauth/introspect` does not
 * exist yet, so the endpoint here is `support/introspection-server.ts`, a real HTTP server answering RFC 7662
 * for tokens the test registered (opaque tokens issued by the real authorization server app). Switch to the
 * authorization server's endpoint when it lands.
 * Covered: the request (POST form, `token_type_hint`, client authentication by Basic or post), the checks on the
 * answer, and the cache: per token, for `cacheTtl` but never past `exp`, bounded by `cacheSize`, scopes
 * re-checked on every route.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntrospectionOptions } from '../../src/index.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectInsufficientScope, expectInvalidToken, issueToken } from '../resource/support/resource-app.js';
import type { IntrospectionServer } from './support/introspection-server.js';
import { activeAnswer, INTROSPECTOR, introspectingOptions, startIntrospectionServer } from './support/introspection-fixture.js';
import { API_AUDIENCE, bootIssuer, bootResourceServer, callApi, type IssuerApp, type ResourceServerApp } from './support/resource-server-app.js';

describe.each(testMatrix())('introspection of opaque tokens at a standalone resource server on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 6, 1, 9, 0, 0));
  let as: IssuerApp;
  let server: IntrospectionServer;
  let rs: ResourceServerApp;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIssuer(platform, db, { clock });
    server = await startIntrospectionServer(clock);
    rs = await resourceServer();
  });
  afterEach(() => {
    server.honourExpiry = true;
  });
  afterAll(async () => {
    for (const app of open) await app.close();
    await server?.stop();
    await as?.close();
  });

  async function resourceServer(introspection: Partial<IntrospectionOptions> = {}): Promise<ResourceServerApp> {
    const app = await bootResourceServer({ platform, clock, options: introspectingOptions(as, server, introspection) });
    open.push(app);
    return app;
  }

  /** A real opaque token of the authorization server, known to the introspection endpoint with `overrides`. */
  async function opaqueToken(overrides: Record<string, unknown> = {}): Promise<string> {
    return server.register(activeAnswer(as, clock, overrides), await issueToken(as, 'opaque', 'profile'));
  }

  it('accepts an active token, with @CurrentToken filled from the answer', async () => {
    const answer = activeAnswer(as, clock, { scope: 'profile email' });
    const token = server.register(answer, await issueToken(as, 'opaque', 'profile email'));
    const res = await callApi(rs, '/api/me', token);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      format: 'opaque',
      sub: 'rs-opaque',
      clientId: 'rs-opaque',
      scopes: ['profile', 'email'],
      aud: [API_AUDIENCE],
      iss: as.issuer,
      jti: answer.jti,
      iat: answer.iat,
      exp: answer.exp,
    });
  });

  it('POSTs the token with token_type_hint=access_token and client_secret_basic credentials (form-encoded)', async () => {
    const token = await opaqueToken();
    const before = server.count;
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(server.count - before).toBe(1);
    const received = server.requests.at(-1)!;
    expect(received).toEqual({
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret),
      form: { token, token_type_hint: 'access_token' },
    });
  });

  it('sends client_secret_post credentials in the body when configured so', async () => {
    const post = await resourceServer({ authMethod: 'client_secret_post' });
    const token = await opaqueToken();
    expect((await callApi(post, '/api/me', token)).status).toBe(200);
    const received = server.requests.at(-1)!;
    expect(received.authorization).toBeUndefined();
    expect(received.form).toEqual({ token, token_type_hint: 'access_token', client_id: INTROSPECTOR.clientId, client_secret: INTROSPECTOR.clientSecret });
  });

  it('refuses unknown, inactive and revoked tokens with 401 invalid_token', async () => {
    expectInvalidToken(await callApi(rs, '/api/me', await issueToken(as, 'opaque', 'profile')), as.issuer);
    const revoked = await opaqueToken();
    server.revoke(revoked);
    expectInvalidToken(await callApi(rs, '/api/me', revoked), as.issuer);
    const expired = await opaqueToken({ exp: clock.nowSeconds() - 1 });
    expectInvalidToken(await callApi(rs, '/api/me', expired), as.issuer);
  });

  const refused: [string, Record<string, unknown>][] = [
    ['for another audience', { aud: 'https://other.example.test' }],
    ['for other audiences', { aud: ['https://a.example.test', 'https://b.example.test'] }],
    ['with a malformed aud', { aud: [API_AUDIENCE, 7] }],
    ['from another issuer', { iss: 'http://127.0.0.1:1' }],
    ['without exp', { exp: undefined }],
    ['with a string exp', { exp: '2099-01-01' }],
    ['without iat', { iat: undefined }],
    ['without sub', { sub: undefined }],
    ['without client_id', { client_id: undefined }],
    ['of a DPoP-bound token', { token_type: 'DPoP' }],
    // What authnest's endpoint says of a refresh token: active, no aud, token_type refresh_token.
    ['of a refresh token (authnest shape)', { token_type: 'refresh_token', aud: undefined, iss: undefined, jti: undefined }],
    ['of a refresh token (token_use)', { token_use: 'refresh_token' }],
    ['with a malformed scope', { scope: 'pro"file' }],
    ['with a non-string scope', { scope: ['profile'] }],
  ];
  it.each(refused)('refuses an active answer %s', async (_, overrides) => {
    expectInvalidToken(await callApi(rs, '/api/me', await opaqueToken(overrides)), as.issuer);
  });

  it('accepts answers with optional members absent or in other allowed forms', async () => {
    const forms: Record<string, unknown>[] = [{ aud: undefined }, { aud: ['https://x.example.test', API_AUDIENCE] }, { token_type: 'bearer' }, { iss: undefined }];
    for (const overrides of forms) expect((await callApi(rs, '/api/me', await opaqueToken(overrides))).status).toBe(200);
    const bare = await callApi(rs, '/api/me', await opaqueToken({ jti: undefined, aud: undefined, token_type: undefined, iss: undefined }));
    expect(bare.status, bare.text).toBe(200);
    expect([bare.body.jti, bare.body.aud, bare.body.iss]).toEqual(['', [], as.issuer]);
  });

  it('checks the scope of a cached answer on every route (checklist 55, CVE-2021-32701)', async () => {
    const token = await opaqueToken({ scope: 'profile' });
    const before = server.count;
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expectInsufficientScope(await callApi(rs, '/api/admin', token), 'admin', as.issuer);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(server.count - before).toBe(1);
  });

  it('remembers an active answer for introspection.cacheTtl: a revocation shows after at most that long', async () => {
    const token = await opaqueToken();
    const before = server.count;
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    server.revoke(token);
    clock.advance(29);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(server.count - before).toBe(1);
    clock.advance(1);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    expect(server.count - before).toBe(2);
  });

  it("never remembers an answer past the token's exp, even when the endpoint still calls it active", async () => {
    server.honourExpiry = false;
    const token = await opaqueToken({ exp: clock.nowSeconds() + 10 });
    const before = server.count;
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    clock.advance(9);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(server.count - before).toBe(1);
    clock.advance(1);
    expectInvalidToken(await callApi(rs, '/api/me', token), as.issuer);
    expect(server.count - before).toBe(2);
  });

  it('holds at most introspection.cacheSize answers, dropping the oldest', async () => {
    const small = await resourceServer({ cacheSize: 2 });
    const [a, b, c] = await Promise.all([opaqueToken(), opaqueToken(), opaqueToken()]);
    const before = server.count;
    const asked = async (token: string) => {
      const count = server.count;
      expect((await callApi(small, '/api/me', token)).status).toBe(200);
      return server.count - count;
    };
    expect([await asked(a), await asked(b), await asked(c)]).toEqual([1, 1, 1]);
    expect([await asked(c), await asked(b)]).toEqual([0, 0]);
    expect(await asked(a)).toBe(1);
    expect([await asked(c), await asked(a)]).toEqual([0, 0]);
    expect(await asked(b)).toBe(1);
    expect(server.count - before).toBe(5);
  });

  it('introspects on every request with introspection.cacheTtl 0', async () => {
    const uncached = await resourceServer({ cacheTtl: 0 });
    const token = await opaqueToken();
    const before = server.count;
    for (let i = 0; i < 3; i += 1) expect((await callApi(uncached, '/api/me', token)).status).toBe(200);
    expect(server.count - before).toBe(3);
  });
});
