import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { formOf, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { OIDC_SCOPES } from '../support/oidc-app.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { bootLoginApp, freePort } from './support/login-app.js';

/**
 * Browser login through a provider with `OAuthLogin` (OpenID Connect Core 3.1, RFC 7636, RFC 9207) against
 * authnest's own server: the authorization URL with state, nonce and S256 PKCE, the builtin login and consent pages,
 * the callback (state bound to the browser, `iss`, code exchange, ID token validation, UserInfo), the app's
 * session behind `OAuthSessionGuard`, and logout through the provider's end-session endpoint.
 */
describe.each(testMatrix())('OAuth client: browser login against authnest on %s/%s', (platform, db) => {
  let proxy: CountingProxy;
  let server: TestApp;
  let client: INestApplication;
  let appUrl: string;
  let dir: string;

  beforeAll(async () => {
    proxy = await CountingProxy.start();
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    const rp: ClientSeed = {
      clientId: 'web-app',
      clientSecret: 'web-app-secret-01',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: OIDC_SCOPES,
      redirectUris: [`${appUrl}/callback`],
      postLogoutRedirectUris: [`${appUrl}/`],
    };
    server = await bootTestApp({ platform, db, imports: [TestAccountsModule], options: { issuer: proxy.url, scopes: OIDC_SCOPES, clients: [rp] } });
    proxy.target = server.url;
    dir = mkdtempSync(join(tmpdir(), 'authnest-client-'));
    client = await bootLoginApp(platform, port, {
      providers: {
        provider: {
          issuer: proxy.url,
          clientId: 'web-app',
          clientSecret: 'web-app-secret-01',
          login: { redirectUri: `${appUrl}/callback`, postLogoutRedirectUri: `${appUrl}/` },
        },
      },
      database: { type: 'sqlite', path: join(dir, 'client.sqlite') },
      encryptionSecret: TEST_SECRET,
      loginPath: '/login',
    });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await proxy?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Logs alice in at the provider's builtin pages from the app's /login; resolves the callback's response. */
  async function logIn(browser: TestBrowser, returnTo = '/me') {
    const start = await browser.get(`${appUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status, start.text).toBe(303);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${proxy.url}/oauth/authorize`);
    const page = await browser.follow(await browser.get(authorize.href));
    const login = formOf(page.text);
    const afterLogin = await browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' });
    let callback = afterLogin.headers.get('location')!;
    if (!callback.startsWith(`${appUrl}/callback`)) {
      const consent = formOf((await browser.follow(afterLogin)).text);
      callback = (await browser.post(consent.action, { csrf: consent.csrf, decision: 'approve' })).headers.get('location')!;
    }
    return { authorize, callback, done: await browser.get(callback) };
  }

  it('signs alice in: state, nonce and S256 PKCE; the callback validates and starts the session; /me sees her', async () => {
    const browser = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    expect((await browser.get(`${appUrl}/me`)).status).toBe(401);
    const { authorize, done } = await logIn(browser);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'web-app',
      redirect_uri: `${appUrl}/callback`,
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.any(String),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(done.status, done.text).toBe(303);
    expect(done.headers.get('location')).toBe('/me');
    const me = await browser.get(`${appUrl}/me`);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toEqual({ provider: 'provider', sub: 'user-alice', name: 'Alice Example', email: 'alice@example.com' });
  });

  it('refuses a replayed callback, a callback in another browser, and a changed state or iss', async () => {
    const browser = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    const { callback } = await logIn(browser);
    expect((await browser.get(callback)).body).toEqual({ error: 'invalid_state' }); // used once already
    const other = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    const second = await logIn(other);
    expect(second.done.status).toBe(303);
    const third = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    const start = await third.get(`${appUrl}/login`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    // A callback with someone's code but this browser's... nothing: another browser presenting this state.
    expect((await new TestBrowser({ url: proxy.url, issuer: proxy.url }).get(`${appUrl}/callback?state=${state}&code=x&iss=${encodeURIComponent(proxy.url)}`)).body).toEqual({ error: 'invalid_state' });
    const wrongIss = await third.get(`${appUrl}/callback?state=${state}&code=x&iss=${encodeURIComponent('https://evil.example')}`);
    expect(wrongIss.body).toEqual({ error: 'invalid_issuer' });
    expect((await third.get(`${appUrl}/me`)).status).toBe(401);
  });

  it('logs out: the app session ends and the browser goes to the provider, which signs alice out and comes back', async () => {
    const browser = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    await logIn(browser);
    expect((await browser.get(`${appUrl}/me`)).status).toBe(200);
    const out = await browser.post(`${appUrl}/logout`, {});
    expect(out.status, out.text).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(endSession.origin + endSession.pathname).toBe(`${proxy.url}/oauth/logout`);
    expect((await browser.get(`${appUrl}/me`)).status).toBe(401);
    const back = await browser.get(endSession.href);
    expect(back.status, back.text).toBe(303);
    expect(back.headers.get('location')).toBe(`${appUrl}/`);
  });

  it('sends a page request without a session to loginPath with returnTo; API requests still get 401', async () => {
    const browser = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    const page = await browser.get(`${appUrl}/me?tab=1`, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/login?returnTo=${encodeURIComponent('/me?tab=1')}`);
    const api = await browser.get(`${appUrl}/me`, { accept: 'application/json' });
    expect([api.status, api.body]).toEqual([401, { error: 'login_required', error_description: 'Sign in first' }]);
    const { done } = await logIn(browser, '/me?tab=1');
    expect(done.headers.get('location')).toBe('/me?tab=1');
    expect((await browser.get(`${appUrl}/me`, { accept: 'text/html' })).status).toBe(200);
  });
});
