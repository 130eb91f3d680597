import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { authorizePath, pkce } from '../support/authorization-flow.js';
import { launchBrowser } from '../support/browser.js';
import { bootFlowApp, codeRequest, FIRST, SPA } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { cspViolations, expectUsable, failedResources, screenshotter, startCallback, VIEWPORT, type Callback } from '../support/page-checks.js';
import type { TestApp } from '../support/test-app.js';

/**
 * The builtin pages in a real Chromium, without and with JavaScript: CSP lets our own style and form_post
 * script run and lets forms end at the client (Chrome applies form-action to redirects after a POST), while
 * the pages need no JavaScript at all.
 */
describe.each(testMatrix())('builtin pages in Chromium on %s/%s', (platform, db) => {
  let t: TestApp;
  let proxy: CountingProxy;
  let callback: Callback;
  let browser: Browser;
  beforeAll(async () => {
    callback = await startCallback();
    proxy = await CountingProxy.start();
    t = await bootFlowApp(platform, db, {
      options: { issuer: proxy.url },
      clients: [
        { ...SPA, redirectUris: [callback.url] },
        { ...FIRST, redirectUris: [callback.url] },
      ],
    });
    proxy.target = t.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await proxy?.stop();
    await new Promise((resolve) => callback?.server.close(resolve));
  });

  it('logs in and consents without JavaScript; the code arrives at the client by query (no CSP violation)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${proxy.url}${authorizePath(codeRequest(SPA, pkce().challenge, { redirect_uri: callback.url, state: 'js-off' }))}`);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('416px'); // the hashed style applied
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-password');
    await page.click('button[type=submit]');
    expect(await page.locator('li code').allTextContents()).toEqual(['profile', 'email']);
    await Promise.all([page.waitForURL(`${callback.url}?**`), page.click('button[value=approve]')]);
    const delivered = new URL(page.url());
    expect(delivered.searchParams.get('state')).toBe('js-off');
    expect(delivered.searchParams.get('iss')).toBe(proxy.url);
    expect(delivered.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('form_post without JavaScript: the visible button posts code, state and iss to the client', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${proxy.url}${authorizePath(codeRequest(FIRST, pkce().challenge, { redirect_uri: callback.url, response_mode: 'form_post', state: 'fp' }))}`);
    await page.fill('#username', 'bob');
    await page.fill('#password', 'bob-password');
    await page.click('button[type=submit]');
    expect(await page.locator('button', { hasText: 'Continue' }).isVisible()).toBe(true);
    const before = callback.received.length;
    await Promise.all([page.waitForURL(callback.url), page.locator('button', { hasText: 'Continue' }).click()]);
    const post = callback.received.slice(before).find((r) => r.method === 'POST')!;
    const form = new URLSearchParams(post.body);
    expect(form.get('state')).toBe('fp');
    expect(form.get('iss')).toBe(proxy.url);
    expect(form.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('form_post with JavaScript: the page submits itself under the CSP (script allowed by hash)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${proxy.url}${authorizePath(codeRequest(FIRST, pkce().challenge, { redirect_uri: callback.url, response_mode: 'form_post' }))}`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-password');
    const before = callback.received.length;
    await Promise.all([page.waitForURL(callback.url), page.click('button[type=submit]')]);
    expect(callback.received.slice(before).some((r) => r.method === 'POST' && new URLSearchParams(r.body).has('code'))).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('renders the login, consent and error pages (screenshots in test-results/screenshots/)', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000); // a step that hangs fails by name, before the test's timeout
    const shoot = await screenshotter(page, `${platform}-${db}`);
    const violations = cspViolations(page);
    const failed = failedResources(page);

    const login = await page.goto(`${proxy.url}${authorizePath(codeRequest(SPA, pkce().challenge, { redirect_uri: callback.url, prompt: 'consent' }))}`);
    expect(login?.status()).toBe(200);
    await shoot('login', 'Sign in', 'Sign in');
    await expectUsable(page.locator('#username'), 'input', 'username input');
    await expectUsable(page.locator('#password'), 'input', 'password input');
    await expectUsable(page.getByRole('button', { name: 'Sign in' }), 'button', 'Sign in button');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-password');
    await page.click('button[type=submit]');

    await page.waitForSelector('button[value=approve]');
    await shoot('consent', 'Authorize access', 'Authorize Single Page App');
    expect(await page.getByText('Single Page App wants to access your account.').isVisible()).toBe(true);
    await expectUsable(page.getByRole('button', { name: 'Approve' }), 'button', 'Approve button');
    await expectUsable(page.getByRole('button', { name: 'Deny' }), 'button', 'Deny button');

    const error = await page.goto(`${proxy.url}${authorizePath(codeRequest(SPA, pkce().challenge, { client_id: 'no-such-client' }))}`);
    expect(error?.status()).toBe(400);
    await shoot('error', 'This request cannot be completed', 'This request cannot be completed');
    expect(await page.locator('p.error').isVisible()).toBe(true);

    expect(violations).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });
});
