import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { authorizePath, pkce } from '../support/authorization-flow.js';
import { launchBrowser } from '../support/browser.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcRequest, redeemCode, RP } from '../support/oidc-app.js';
import {
  cspViolations,
  expectUsable,
  failedResources,
  requestsOffLoopback,
  screenshotter,
  startCallback,
  VIEWPORT,
  type Callback,
  type Received,
} from '../support/page-checks.js';
import type { TestApp } from '../support/test-app.js';

const SESSION_COOKIE = 'authnest_session'; // http issuer: no __Host- prefix

/** `/oauth/logout?...` with the parameters in order. */
function logoutPath(params: Record<string, string>): string {
  return `/oauth/logout?${new URLSearchParams(params).toString()}`;
}

/** The value of the session cookie in a browser context, if any. */
async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)?.value;
}

/**
 * The OpenID Connect pages in a real Chromium: RP-Initiated Logout 1.0 section 2 and 3 (the confirmation page
 * without `id_token_hint`, its Sign out / Stay signed in form, the redirect to `post_logout_redirect_uri` with
 * `state`, and no page at all with a matching hint), the signed-out and still-signed-in pages, the consent page
 * listing claims asked for by the `claims` parameter (Core section 5.5) and the login page prefilled from
 * `login_hint` (Core section 3.1.2.1). Chrome applies CSP `form-action` to the redirect that follows a form POST,
 * so reaching the client after "Sign out" checks the page lists the post-logout redirect URI's origin.
 */
describe.each(testMatrix())('OpenID Connect pages in Chromium on %s/%s', (platform, db) => {
  let t: TestApp;
  let proxy: CountingProxy;
  let callback: Callback;
  let browser: Browser;
  let rp: ClientSeed;
  let loggedOut: string;
  beforeAll(async () => {
    callback = await startCallback();
    loggedOut = `${callback.origin}/logged-out`;
    rp = { ...RP, redirectUris: [callback.url], postLogoutRedirectUris: [loggedOut] };
    proxy = await CountingProxy.start();
    t = await bootOidcApp(platform, db, { options: { issuer: proxy.url }, clients: [rp] });
    proxy.target = t.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await proxy?.stop();
    await new Promise((resolve) => callback?.server.close(resolve));
  });

  /** A context of the test viewport whose requests are recorded when they leave 127.0.0.1. */
  async function open(options: { javaScriptEnabled: boolean }): Promise<{ context: BrowserContext; page: Page; offLoopback: string[] }> {
    const context = await browser.newContext({ ...options, viewport: VIEWPORT });
    const offLoopback = requestsOffLoopback(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000); // a step that hangs fails by name, before the test's timeout
    return { context, page, offLoopback };
  }

  /**
   * Logs `username` in for the RP through the pages (openid scope, consent forced so its page always comes), and
   * resolves the code the browser delivered to the callback with its PKCE verifier.
   */
  async function signIn(page: Page, username: string): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkce();
    await page.goto(`${proxy.url}${authorizePath(oidcRequest(rp, challenge, { scope: 'openid', prompt: 'consent' }))}`);
    await page.fill('#username', username);
    await page.fill('#password', `${username}-password`);
    await page.click('button[type=submit]');
    await page.waitForSelector('button[value=approve]');
    await Promise.all([page.waitForURL(`${callback.url}?**`), page.click('button[value=approve]')]);
    const code = new URL(page.url()).searchParams.get('code');
    expect(code, page.url()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return { code: code!, verifier };
  }

  /** What the browser sent the client since `before` (Chromium also asks it for /favicon.ico, at a time of its own). */
  function deliveredSince(before: number): Received[] {
    return callback.received.slice(before).filter((received) => received.url !== '/favicon.ico');
  }

  /** `prompt=none` in the browser (Core 3.1.2.6): the parameters it delivered to the redirect URI. */
  async function silentAuthorize(page: Page): Promise<URLSearchParams> {
    await page.goto(`${proxy.url}${authorizePath(oidcRequest(rp, pkce().challenge, { scope: 'openid', prompt: 'none', state: 'silent' }))}`);
    expect(page.url().startsWith(`${callback.url}?`), page.url()).toBe(true);
    const params = new URL(page.url()).searchParams;
    expect(params.get('state')).toBe('silent');
    expect(params.get('iss')).toBe(proxy.url);
    return params;
  }

  /** The confirmation page of `GET /oauth/logout` by client_id: shown, usable, and it ends nothing by itself. */
  async function openConfirmation(context: BrowserContext, page: Page, redirect: { uri: string; state: string } | undefined): Promise<void> {
    const session = await sessionCookie(context);
    const query: Record<string, string> = { client_id: rp.clientId, ...(redirect && { post_logout_redirect_uri: redirect.uri, state: redirect.state }) };
    const res = await page.goto(`${proxy.url}${logoutPath(query)}`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('Sign out');
    expect((await page.locator('h1').innerText()).trim()).toBe('Sign out?');
    expect(await page.getByText('Relying Party asks to sign you out.').isVisible()).toBe(true);
    const formAction = res!.headers()['content-security-policy']!.split('; ').find((d) => d.startsWith('form-action '));
    expect(formAction).toBe(redirect ? `form-action 'self' ${callback.origin}` : "form-action 'self'");
    await expectUsable(page.getByRole('button', { name: 'Sign out' }), 'button', 'Sign out button');
    await expectUsable(page.getByRole('button', { name: 'Stay signed in' }), 'button', 'Stay signed in button');
    expect(await sessionCookie(context)).toBe(session); // showing the page changes nothing
  }

  it('without JavaScript: "Sign out" ends the session and the browser arrives at the post-logout URI with state (no CSP violation)', async () => {
    const { context, page, offLoopback } = await open({ javaScriptEnabled: false });
    const violations = cspViolations(page);
    await signIn(page, 'alice');
    expect(await sessionCookie(context)).toBeTruthy();
    await openConfirmation(context, page, { uri: loggedOut, state: 'x' });

    const before = callback.received.length;
    await Promise.all([page.waitForURL(`${loggedOut}?state=x`), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(deliveredSince(before)).toEqual([{ method: 'GET', url: '/logged-out?state=x', body: '' }]);
    expect(await sessionCookie(context)).toBeUndefined();
    expect((await silentAuthorize(page)).get('error')).toBe('login_required');
    expect(violations).toEqual([]);
    expect(offLoopback).toEqual([]);
    await context.close();
  });

  it('without JavaScript: "Stay signed in" shows the still-signed-in page and the session keeps working', async () => {
    const { context, page, offLoopback } = await open({ javaScriptEnabled: false });
    const violations = cspViolations(page);
    await signIn(page, 'bob');
    const session = await sessionCookie(context);
    await openConfirmation(context, page, { uri: loggedOut, state: 'x' });

    const before = callback.received.length;
    await Promise.all([page.waitForURL(`${proxy.url}/oauth/logout/confirm`), page.getByRole('button', { name: 'Stay signed in' }).click()]);
    expect(await page.title()).toBe('Still signed in');
    expect((await page.locator('h1').innerText()).trim()).toBe('You are still signed in');
    expect(deliveredSince(before)).toEqual([]); // no redirect to the client
    expect(await sessionCookie(context)).toBe(session);
    const silent = await silentAuthorize(page);
    expect(silent.get('error')).toBeNull();
    expect(silent.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(violations).toEqual([]);
    expect(offLoopback).toEqual([]);
    await context.close();
  });

  it('with JavaScript: an id_token_hint of the logged-in user logs out at once, no page, straight to the post-logout URI', async () => {
    const { context, page, offLoopback } = await open({ javaScriptEnabled: true });
    const violations = cspViolations(page);
    const { code, verifier } = await signIn(page, 'alice');
    const tokens = await redeemCode(t, rp, code, verifier);
    expect(tokens.status, tokens.text).toBe(200);
    const idToken = tokens.body.id_token as string;

    const documents: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') documents.push(`${response.status()} ${response.url()}`);
    });
    const query = { id_token_hint: idToken, post_logout_redirect_uri: loggedOut, state: 'y' };
    const before = callback.received.length;
    const res = await page.goto(`${proxy.url}${logoutPath(query)}`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${loggedOut}?state=y`);
    expect(documents).toEqual([`303 ${proxy.url}${logoutPath(query)}`, `200 ${loggedOut}?state=y`]);
    expect(deliveredSince(before)).toEqual([{ method: 'GET', url: '/logged-out?state=y', body: '' }]);
    expect(await sessionCookie(context)).toBeUndefined();
    expect((await silentAuthorize(page)).get('error')).toBe('login_required');
    expect(violations).toEqual([]);
    expect(offLoopback).toEqual([]);
    await context.close();
  });

  it('renders the login_hint login, claims consent, logout confirmation and signed-out pages (screenshots)', async () => {
    const { context, page, offLoopback } = await open({ javaScriptEnabled: true });
    const shoot = await screenshotter(page, `${platform}-${db}`);
    const violations = cspViolations(page);
    const failed = failedResources(page);
    const claims = JSON.stringify({ userinfo: { email: null, name: null } });
    const params = oidcRequest(rp, pkce().challenge, { scope: 'openid', prompt: 'consent', login_hint: 'alice', claims });

    const login = await page.goto(`${proxy.url}${authorizePath(params)}`);
    expect(login?.status()).toBe(200);
    await shoot('login-hint', 'Sign in', 'Sign in');
    expect(await page.inputValue('#username')).toBe('alice');
    await expectUsable(page.locator('#username'), 'input', 'username input');
    await expectUsable(page.locator('#password'), 'input', 'password input');
    await page.fill('#password', 'alice-password');
    await page.click('button[type=submit]');

    await page.waitForSelector('button[value=approve]');
    await shoot('consent-claims', 'Authorize access', 'Authorize Relying Party');
    expect(await page.locator('li code').allTextContents()).toEqual(['openid', 'email', 'name']);
    expect(await page.getByText('and these details about you:').isVisible()).toBe(true);
    await expectUsable(page.getByRole('button', { name: 'Approve' }), 'button', 'Approve button');
    await Promise.all([page.waitForURL(`${callback.url}?**`), page.click('button[value=approve]')]);
    expect(new URL(page.url()).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await openConfirmation(context, page, undefined);
    await shoot('logout-confirm', 'Sign out', 'Sign out?');
    await Promise.all([page.waitForURL(`${proxy.url}/oauth/logout/confirm`), page.getByRole('button', { name: 'Sign out' }).click()]);
    await shoot('signed-out', 'Signed out', 'You are signed out');
    expect(await page.getByText('You can close this window.').isVisible()).toBe(true);
    expect(await sessionCookie(context)).toBeUndefined();

    expect(violations).toEqual([]);
    expect(failed).toEqual([]);
    expect(offLoopback).toEqual([]);
    await context.close();
  });
});
