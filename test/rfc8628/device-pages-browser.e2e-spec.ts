import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { launchBrowser } from '../support/browser.js';
import { testMatrix } from '../support/matrix.js';
import { cspViolations, expectUsable, failedResources, requestsOffLoopback, screenshotter, VIEWPORT } from '../support/page-checks.js';
import type { TestApp } from '../support/test-app.js';
import { bootDeviceApp, poll, startDevice, TV } from './support/device-app.js';

/**
 * The device flow's pages in a real headless Chromium, without and with JavaScript: the code page (typed, and
 * prefilled from verification_uri_complete), the code flow's login and consent pages, and the result view, under the
 * pages' CSP (no violation, nothing loaded, nothing off loopback); the device then polls its tokens.
 */
describe.each(testMatrix())('device pages in Chromium on %s/%s', (platform, db) => {
  let t: TestApp;
  let proxy: CountingProxy;
  let browser: Browser;
  beforeAll(async () => {
    proxy = await CountingProxy.start();
    t = await bootDeviceApp(platform, db, { options: { issuer: proxy.url } });
    proxy.target = t.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await proxy?.stop();
  });

  it('connects a device with a typed code, without JavaScript, and the device gets its tokens', async () => {
    const { userCode, deviceCode } = await startDevice(t, TV, { scope: 'profile tv:watch' });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const off = requestsOffLoopback(context);
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${proxy.url}/oauth/device`);
    expect(await page.locator('h1').textContent()).toBe('Connect a device');
    await page.fill('#user_code', userCode.toLowerCase().replace('-', ' '));
    await page.click('button[type=submit]');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-password');
    await page.click('button[type=submit]');
    expect(await page.locator('li code').allTextContents()).toEqual(['profile', 'tv:watch']);
    await page.click('button[value=approve]');
    expect(await page.locator('h1').textContent()).toBe('Device connected');
    expect(page.url()).toBe(`${proxy.url}/oauth/device?result=approved`);
    const tokens = await poll(t, TV, deviceCode);
    expect(tokens.status, tokens.text).toBe(200);
    expect(violations).toEqual([]);
    expect(off).toEqual([]);
    await context.close();
  });

  it('renders the prefilled code page, a wrong code, and the result views (screenshots in test-results/screenshots/)', async () => {
    const { userCode, verificationUriComplete, deviceCode } = await startDevice(t);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const shoot = await screenshotter(page, `${platform}-${db}-device`);
    const violations = cspViolations(page);
    const failed = failedResources(page);

    expect((await page.goto(verificationUriComplete))?.status()).toBe(200);
    expect(await page.inputValue('#user_code')).toBe(userCode);
    expect(await page.getByText('Check that this code matches the one shown on your device.').isVisible()).toBe(true);
    await shoot('code-prefilled', 'Connect a device', 'Connect a device');
    await expectUsable(page.locator('#user_code'), 'input', 'code input');
    await expectUsable(page.getByRole('button', { name: 'Continue' }), 'button', 'Continue button');
    // Nothing happens until the user confirms.
    expect((await poll(t, TV, deviceCode)).body.error).toBe('authorization_pending');

    await page.fill('#user_code', 'BCDF-GHJK');
    await page.click('button[type=submit]');
    expect(await page.locator('p.error').textContent()).toBe('That code is not valid. Check the code on your device and try again.');
    await shoot('code-wrong', 'Connect a device', 'Connect a device');

    await page.fill('#user_code', userCode);
    await page.click('button[type=submit]');
    await page.fill('#username', 'bob');
    await page.fill('#password', 'bob-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('button[value=deny]');
    await page.click('button[value=deny]');
    await shoot('denied', 'Access denied', 'Access denied');
    expect((await poll(t, TV, deviceCode)).body.error).toBe('access_denied');

    await page.goto(`${proxy.url}/oauth/device?result=approved`);
    await shoot('approved', 'Device connected', 'Device connected');
    expect(violations).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });
});
