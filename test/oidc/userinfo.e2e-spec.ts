import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, PAIRWISE_RP, PUBLIC_RP, RP, userinfo } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import type { ClientSeed } from '../../src/index.js';
import {
  accountsOf, aliceAnswer, ALL_CLAIM_SCOPES, clientsOf, expectBareChallenge, expectBearerError, expectNoClaimLeak, expectUserInfo,
  OPAQUE_RP, SERVICE, userinfoGet, userinfoPost,
} from './support/claims-helpers.js';

const EVERYTHING = aliceAnswer('user-alice', 'profile', 'email', 'address', 'phone');

/**
 * The UserInfo endpoint (OpenID Connect Core section 5.3; Authlib catalogue 4.19 items 174-176 with the RFC values
 * where Authlib deviates): GET and POST with the Authorization header, POST with the form parameter `access_token`
 * (RFC 6750 section 2.2), never both and never the query (2.3 is not supported: OAuth 2.1 section 5.1). Errors are
 * RFC 6750 section 3.1 challenges: no token or another scheme is a bare `Bearer realm=...` (Authlib 175 answers
 * `missing_authorization` / `unsupported_token_type`); an unknown, expired or revoked token, or one of a deactivated
 * account or a disabled client, is 401 `invalid_token`; a token without `openid` is 403 `insufficient_scope`
 * (Authlib 176). Both access token formats; answers are `no-store` JSON; errors are never 5xx and leak no claim.
 */
describe.each(testMatrix())('UserInfo endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [RP, PUBLIC_RP, PAIRWISE_RP, OPAQUE_RP, SERVICE] });
  });
  afterAll(() => t?.close());

  async function accessToken(client: ClientSeed = RP, scope = ALL_CLAIM_SCOPES, username = 'alice'): Promise<string> {
    const login = await oidcLogin(t, client, { extra: { scope }, username });
    return login.tokens.access_token as string;
  }

  it('GET and POST with the Authorization header answer the same claims as no-store JSON (Core 5.3.1, 5.3.2; Authlib 174)', async () => {
    const token = await accessToken();
    expect(expectUserInfo(await userinfo(t, token))).toEqual(EVERYTHING);
    const bare = await request(`${t.url}/oauth/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(expectUserInfo(bare)).toEqual(EVERYTHING);
    const withForm = await userinfoPost(t, { unrelated: 'x' }, { authorization: `bearer ${token}` });
    expect(expectUserInfo(withForm)).toEqual(EVERYTHING);
  });

  it('POST with the form parameter access_token (RFC 6750 section 2.2)', async () => {
    const token = await accessToken();
    expect(expectUserInfo(await userinfoPost(t, { access_token: token }))).toEqual(EVERYTHING);
  });

  it('a token in the header and the body at once: 400 invalid_request with a Bearer challenge; the token still works (RFC 6750 section 2)', async () => {
    const token = await accessToken();
    const both = await userinfoPost(t, { access_token: token }, { authorization: `Bearer ${token}` });
    expectBearerError(t, both, 400, 'invalid_request');
    const twice = await userinfoPost(t, `access_token=${token}&access_token=${token}`);
    expectBearerError(t, twice, 400, 'invalid_request');
    expect(expectUserInfo(await userinfo(t, token))).toEqual(EVERYTHING);
  });

  it('a token in the query string is ignored: 401 with a bare challenge, GET and POST (OAuth 2.1 section 5.1)', async () => {
    const token = await accessToken();
    expectBareChallenge(t, await userinfoGet(t, {}, `?access_token=${token}`));
    expectBareChallenge(t, await postForm(`${t.url}/oauth/userinfo?access_token=${token}`, {}));
  });

  it('no token, another scheme, or a token in a JSON body: 401 with a bare challenge (RFC 6750 section 3.1; Authlib 175)', async () => {
    const token = await accessToken();
    expectBareChallenge(t, await userinfoGet(t));
    expectBareChallenge(t, await userinfoPost(t, {}));
    expectBareChallenge(t, await userinfoGet(t, { authorization: basic(RP.clientId, RP.clientSecret!) }));
    expectBareChallenge(t, await userinfoGet(t, { authorization: `Token ${token}` }));
    const json = await request(`${t.url}/oauth/userinfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token }),
    });
    expectBareChallenge(t, json);
  });

  it('a malformed Bearer header: 400 invalid_request (RFC 6750 section 3.1)', async () => {
    for (const header of ['Bearer', 'Bearer a b', 'Bearer tok"en']) {
      expectBearerError(t, await userinfoGet(t, { authorization: header }), 400, 'invalid_request');
    }
  });

  it('garbage, a tampered JWT, an ID token or a refresh token as access token: 401 invalid_token', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: ALL_CLAIM_SCOPES } });
    const jwt = login.tokens.access_token as string;
    const [header, payload] = jwt.split('.');
    const tampered = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    for (const token of ['garbage', tampered, login.idToken, login.tokens.refresh_token as string]) {
      expectBearerError(t, await userinfo(t, token), 401, 'invalid_token');
      expectBearerError(t, await userinfoPost(t, { access_token: token }), 401, 'invalid_token');
    }
    expect(expectUserInfo(await userinfo(t, jwt))).toEqual(EVERYTHING);
  });

  it.each([
    ['JWT', RP],
    ['opaque', OPAQUE_RP],
  ] as const)('%s access tokens answer, and stop answering once revoked at /oauth/revoke (RFC 7009)', async (format, client) => {
    const token = await accessToken(client);
    expect(token.split('.').length).toBe(format === 'JWT' ? 3 : 1);
    expect(expectUserInfo(await userinfo(t, token))).toEqual(EVERYTHING);
    const revoked = await postForm(`${t.url}/oauth/revoke`, { token, token_type_hint: 'access_token' }, {
      authorization: basic(client.clientId, client.clientSecret!),
    });
    expect(revoked.status, revoked.text).toBe(200);
    expectBearerError(t, await userinfo(t, token), 401, 'invalid_token');
    expectBearerError(t, await userinfoPost(t, { access_token: token }), 401, 'invalid_token');
  });

  it('an expired access token: 401 invalid_token (FakeClock past accessToken.ttl)', async () => {
    const jwt = await accessToken(RP);
    const opaque = await accessToken(OPAQUE_RP);
    clock.advance(3599);
    expectUserInfo(await userinfo(t, jwt));
    clock.advance(2);
    expectBearerError(t, await userinfo(t, jwt), 401, 'invalid_token');
    expectBearerError(t, await userinfo(t, opaque), 401, 'invalid_token');
  });

  it('a token without openid (an OAuth-only code flow): 403 insufficient_scope with scope="openid" (Authlib 176)', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: 'profile email' } });
    expect(login.tokens.scope).toBe('profile email');
    expect(login.tokens.id_token).toBeUndefined();
    const token = login.tokens.access_token as string;
    expectBearerError(t, await userinfo(t, token), 403, 'insufficient_scope', { scope: 'openid' });
    expectBearerError(t, await userinfoPost(t, { access_token: token }), 403, 'insufficient_scope', { scope: 'openid' });
  });

  it('a client_credentials token even when openid was asked for: the grant drops it, so 403 insufficient_scope', async () => {
    const res = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'openid profile' }, {
      authorization: basic(SERVICE.clientId, SERVICE.clientSecret!),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope).toBe('profile');
    expect(res.body.id_token).toBeUndefined();
    const token = res.body.access_token as string;
    expectBearerError(t, await userinfo(t, token), 403, 'insufficient_scope', { scope: 'openid' });
  });

  it('a deactivated or removed account: 401 invalid_token', async () => {
    const accounts = accountsOf(t);
    accounts.add('user-erin', { username: 'erin', password: 'erin-password', claims: { name: 'Erin' } });
    accounts.add('user-frank', { username: 'frank', password: 'frank-password', claims: { name: 'Frank' } });
    const erin = await accessToken(RP, 'openid profile', 'erin');
    const frank = await accessToken(RP, 'openid profile', 'frank');
    expect(expectUserInfo(await userinfo(t, erin))).toEqual({ sub: 'user-erin', name: 'Erin' });
    accounts.setActive('user-erin', false);
    accounts.remove('user-frank');
    for (const token of [erin, frank]) {
      const res = await userinfo(t, token);
      expectBearerError(t, res, 401, 'invalid_token');
      expect(res.text).not.toMatch(/Erin|Frank|user-erin|user-frank/);
    }
  });

  it('a disabled client: 401 invalid_token, for its JWT and opaque tokens', async () => {
    const tokens = [await accessToken(PUBLIC_RP), await accessToken(OPAQUE_RP)];
    await clientsOf(t.app).setDisabled(PUBLIC_RP.clientId, true);
    await clientsOf(t.app).setDisabled(OPAQUE_RP.clientId, true);
    try {
      for (const token of tokens) expectBearerError(t, await userinfo(t, token), 401, 'invalid_token');
    } finally {
      await clientsOf(t.app).setDisabled(PUBLIC_RP.clientId, false);
      await clientsOf(t.app).setDisabled(OPAQUE_RP.clientId, false);
    }
  });

  it('answers other methods without a 5xx and without claims', async () => {
    const token = await accessToken();
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await request(`${t.url}/oauth/userinfo`, { method, headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `${method} ${res.text}`).toBeGreaterThanOrEqual(400);
      expectNoClaimLeak(res);
    }
  });
});
