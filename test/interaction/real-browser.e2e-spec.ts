import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { authorizePath, pkce } from '../support/authorization-flow.js';
import { launchBrowser } from '../support/browser.js';
import { bootFlowApp, codeRequest, FIRST, SPA } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

interface Received {
  method: string;
  url: string;
  body: string;
}

/** The client's redirect endpoint: a loopback server that records what the browser delivered. */
async function startCallback(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('client callback');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`, received };
}

/** CSP violations reported by the page (Chromium logs them to the console). */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Where the screenshots go (test-results/ is ignored by git). */
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const VIEWPORT = { width: 800, height: 600 };

/**
 * What a page loaded besides itself that failed: requests that did not complete and answers of 400 or more
 * (the main document of an error page is meant to be one, so documents are left to the test).
 */
function failedResources(page: Page): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') failed.push(`${response.url()}: ${response.status()}`);
  });
  return failed;
}

/**
 * Smallest box a form control may have: inputs 100x20 CSS px; buttons as wide as their label needs (short
 * labels like "Deny" are about 80 px in the pages' style, so 100 px would fail a well-made button), at least the
 * 24x24 of WCAG 2.2 target size (2.5.8), and never cutting their label.
 */
const MIN_BOX = { input: { width: 100, height: 20 }, button: { width: 24, height: 24 } };

/** The control is visible, at least its kind's minimum box, wholly inside the viewport, and shows all its content. */
async function expectUsable(control: Locator, kind: keyof typeof MIN_BOX, what: string): Promise<void> {
  expect(await control.isVisible(), `${what} visible`).toBe(true);
  const box = (await control.boundingBox())!;
  expect(box, `${what} has a box`).not.toBeNull();
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;
  expect(inside, `${what} inside the viewport: ${JSON.stringify(box)}`).toBe(true);
  expect(box.width, `${what} width`).toBeGreaterThanOrEqual(MIN_BOX[kind].width);
  expect(box.height, `${what} height`).toBeGreaterThanOrEqual(MIN_BOX[kind].height);
  const clipped = await control.evaluate((element) => element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
  expect(clipped, `${what} cuts its content`).toBe(false);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The builtin pages in a real Chromium, without and with JavaScript: CSP lets our own style and form_post
 * script run and lets forms end at the client (Chrome applies form-action to redirects after a POST), while
 * the pages need no JavaScript at all.
 */
describe.each(testMatrix())('builtin pages in Chromium on %s/%s', (platform, db) => {
  let t: TestApp;
  let proxy: CountingProxy;
  let callback: Awaited<ReturnType<typeof startCallback>>;
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
    const blank = (await page.screenshot()).length;
    const violations = cspViolations(page);
    const failed = failedResources(page);
    const shoot = async (name: string, title: string, heading: string) => {
      expect(await page.title()).toBe(title);
      const h1 = page.locator('h1');
      expect(await h1.isVisible()).toBe(true);
      expect((await h1.innerText()).trim()).toBe(heading);
      const png = await page.screenshot({ path: `${SCREENSHOTS}${platform}-${db}-${name}.png` });
      expect(pngSize(png)).toEqual(VIEWPORT);
      expect(png.length, `${name}: ${png.length} bytes, blank page ${blank}`).toBeGreaterThan(2 * blank);
    };

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
