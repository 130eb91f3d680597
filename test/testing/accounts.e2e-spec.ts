import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthTesting, AuthTestingModule } from '../../src/testing/index.js';
import { authorizeWithLogin, authorizePath, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { OIDC_SCOPES, oidcLogin, RP, userinfo, verifyWithJwks } from '../support/oidc-app.js';
import { bootTestApp, freshDatabase, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { PostsController } from './support/host-app.js';

const DANA = { sub: 'user-dana', username: 'dana', password: 'dana-password', claims: { name: 'Dana Tester', email: 'dana@example.com', email_verified: true } };
const ERIN = { sub: 'user-erin', username: 'erin', password: 'erin-password', active: false };

/**
 * AuthTestingModule imported directly by a test's own module, with fake accounts: the real login and consent pages
 * sign them in, the real token endpoint redeems the code, and minted tokens reach UserInfo with their claims.
 */
describe.each(testMatrix())('AuthTestingModule accounts and login pages (%s, %s)', (platform, db) => {
  let t: TestApp;
  let testing: AuthTesting;
  const fresh = db === 'postgres' ? freshDatabase('postgres') : undefined;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      ...(fresh ? { database: fresh.database } : {}),
      authModule: AuthTestingModule.forRoot({
        issuer: TEST_ISSUER,
        accounts: [DANA, ERIN, { sub: 'user-nopass' }],
        server: { scopes: OIDC_SCOPES, clients: [RP], ...(fresh ? { database: fresh.database } : {}) },
      }),
      controllers: [PostsController],
    });
    testing = t.app.get(AuthTesting);
  });

  afterAll(async () => {
    await t?.close();
    await fresh?.drop();
  });

  it('signs a fake account in on the login page; its code becomes tokens the host routes accept', async () => {
    const login = await oidcLogin(t, RP, { username: 'dana', extra: { scope: 'openid profile email posts:read' } });
    // The claims go to UserInfo (scopeClaimsInIdToken is off by default), the ID token names the user.
    expect(login.claims).toMatchObject({ sub: 'user-dana', aud: RP.clientId, iss: TEST_ISSUER });
    await verifyWithJwks(t, login.idToken);
    const posts = await request(`${t.url}/api/posts`, { headers: { authorization: `Bearer ${login.tokens.access_token as string}` } });
    expect(posts.status, posts.text).toBe(200);
    expect(posts.body).toMatchObject({ sub: 'user-dana', clientId: RP.clientId });
    const info = await userinfo(t, login.tokens.access_token as string);
    expect(info.body).toEqual({ sub: 'user-dana', name: 'Dana Tester', email: 'dana@example.com', email_verified: true });
  });

  it('refuses a wrong password, an inactive account and an account without a password', async () => {
    for (const [username, password] of [['dana', 'wrong'], ['erin', 'erin-password'], ['user-nopass', ''], ['nobody', 'x']] as const) {
      const browser = new TestBrowser(t);
      const page = await browser.follow(await browser.get(authorizePath({ response_type: 'code', client_id: RP.clientId, redirect_uri: RP.redirectUris![0]!, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' })));
      const form = formOf(page.text);
      const res = await browser.post(form.action, { csrf: form.csrf, username, password });
      expect(res.status, username).toBe(400);
    }
    const done = await authorizeWithLogin(new TestBrowser(t), { response_type: 'code', client_id: RP.clientId, redirect_uri: RP.redirectUris![0]!, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' }, { username: 'dana', password: 'dana-password' });
    expect(done.status).toBe(303);
  });

  it('answers UserInfo for a minted token from the fake account claims', async () => {
    const token = await testing.mintAccessToken({ subject: 'user-dana', clientId: RP.clientId, scope: 'openid email' });
    const info = await userinfo(t, token);
    expect(info.status, info.text).toBe(200);
    expect(info.body).toEqual({ sub: 'user-dana', email: 'dana@example.com', email_verified: true });
  });
});
