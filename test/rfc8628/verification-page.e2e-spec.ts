import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../src/index.js';
import { formOf, tableRows } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { expectPageHeaders } from '../support/page-headers.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import {
  approveInBrowser,
  bootDeviceApp,
  codeForm,
  CONSOLE,
  enterCode,
  expectResult,
  FIRST_TV,
  poll,
  startDevice,
  TestBrowser,
  TV,
} from './support/device-app.js';

const WRONG = 'That code is not valid. Check the code on your device and try again.';

/**
 * The verification page (RFC 8628 section 3.3, 3.3.1, 5.4; checklist H63-H66): the code form and its cookie, the
 * prefilled code of verification_uri_complete that the user must confirm, CSRF protection like the login and
 * consent forms, one answer for every wrong code, then the code flow's own login and consent pages and a result view.
 */
describe.each(testMatrix())('verification page on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, { clock });
  });
  afterAll(() => t?.close());

  const status = async (deviceCode: string) => {
    const res = await poll(t, TV, deviceCode);
    clock.advance(5);
    return res.body.error ?? 'tokens';
  };

  it('shows the code form with the security headers and a signed, HttpOnly, SameSite cookie scoped to the page', async () => {
    const browser = new TestBrowser(t);
    const { page, action } = await codeForm(browser);
    expectPageHeaders(page);
    expect(action).toBe('/oauth/device');
    expect(page.text).toContain('Enter the code shown on your device.');
    expect(page.text).toMatch(/<input id="user_code" name="user_code" placeholder="XXXX-XXXX"/);
    const cookie = browser.jar.get('authnest_device')!;
    expect(cookie.path).toBe('/oauth/device');
    expect(cookie.attributes.map((a) => a.toLowerCase())).toEqual(expect.arrayContaining(['httponly', 'samesite=lax']));
    // The same browser keeps its token.
    const again = await codeForm(browser);
    expect(again.page.headers.getSetCookie()).toEqual([]);
    expect(again.csrf).toBe(formOf(page.text).csrf);
  });

  it('prefills the code of verification_uri_complete, asks to compare it with the device, and decides nothing', async () => {
    const { userCode, deviceCode, verificationUriComplete } = await startDevice(t);
    const interactions = (await tableRows(t.app, 'InteractionEntity')).length;
    const browser = new TestBrowser(t);
    const page = await browser.get(verificationUriComplete);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${userCode}"`);
    expect(page.text).toContain('Check that this code matches the one shown on your device.');
    const typed = await browser.get(`/oauth/device?user_code=${encodeURIComponent(userCode.toLowerCase().replace('-', ' '))}`);
    expect(typed.text).toContain(`value="${userCode}"`);
    const hostile = await browser.get(`/oauth/device?user_code=${encodeURIComponent('"><script>x</script>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.text).not.toContain('<script>');
    expect(hostile.text).toContain('Enter the code shown on your device.');
    expect((await tableRows(t.app, 'InteractionEntity')).length).toBe(interactions);
    expect(await status(deviceCode)).toBe('authorization_pending');
  });

  it('refuses forms without the browser\'s token, from another browser, cross-site, or with a forged cookie (403)', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    const browser = new TestBrowser(t);
    const { csrf } = await codeForm(browser);
    const stranger = new TestBrowser(t);
    const cases = [
      await browser.post('/oauth/device', { user_code: userCode }),
      await browser.post('/oauth/device', { csrf: 'x'.repeat(43), user_code: userCode }),
      await stranger.post('/oauth/device', { csrf, user_code: userCode }),
      await browser.post('/oauth/device', { csrf, user_code: userCode }, { 'sec-fetch-site': 'cross-site' }),
      await browser.post('/oauth/device', { csrf, user_code: userCode }, { origin: 'https://evil.test' }),
    ];
    const forged = new TestBrowser(t, browser.jar.clone());
    forged.jar.set('authnest_device', `${csrf}.forged-mac`);
    cases.push(await forged.post('/oauth/device', { csrf, user_code: userCode }));
    for (const res of cases) {
      expect(res.status, res.text).toBe(403);
      expectPageHeaders(res);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(await tableRows(t.app, 'RateLimitEntity')).toEqual([]); // refused before anything was counted
    expect(await status(deviceCode)).toBe('authorization_pending');
    // Origin: null is what our no-referrer pages make browsers send: the cookie and token still decide.
    expect((await browser.post('/oauth/device', { csrf, user_code: userCode }, { origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(303);
  });

  it('answers every wrong, expired, used, denied or disabled-client code with one message (400)', async () => {
    const used = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), used.userCode);
    const denied = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), denied.userCode, { decision: 'deny' });
    const disabled = await startDevice(t, CONSOLE);
    await t.app.get(ClientService).setDisabled(CONSOLE.clientId, true);
    const expired = await startDevice(t);
    clock.advance(600);
    for (const code of ['BCDF-GHJK', 'not a code', used.userCode, denied.userCode, disabled.userCode, expired.userCode]) {
      const res = await enterCode(new TestBrowser(t), code);
      expect(res.status, code).toBe(400);
      expect(res.text).toContain(WRONG);
      expect(res.text).not.toContain(code); // never echoed
    }
    await t.app.get(ClientService).setDisabled(CONSOLE.clientId, false);
  });

  it('takes the code as typed: lower case, spaces and dashes ignored', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    const typed = ` ${userCode.slice(0, 2)} ${userCode.slice(2).toLowerCase().replace('-', '  -')} `;
    const res = await enterCode(new TestBrowser(t), typed);
    expect(res.status, res.text).toBe(303);
    expect(await status(deviceCode)).toBe('authorization_pending');
  });

  it('logs in and consents on the code flow\'s pages, then shows the result; the code is in no URL after the form', async () => {
    const { userCode, deviceCode } = await startDevice(t, TV, { scope: 'profile tv:watch' });
    const browser = new TestBrowser(t);
    const entered = await enterCode(browser, userCode);
    expect(entered.status).toBe(303);
    const location = entered.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${t.issuer}/oauth/interaction/[A-Za-z0-9_-]{43}$`));
    const login = await browser.follow(entered);
    expect(login.text).toContain('to continue to <strong>Living Room TV</strong>');
    expectPageHeaders(login, t.issuer); // form-action: the verification page (the issuer's origin) ends the flow
    const loginForm = formOf(login.text);
    const afterLogin = await browser.post(loginForm.action, { csrf: loginForm.csrf, username: 'alice', password: 'alice-password' });
    expect(browser.jar.get('authnest_session')).toBeDefined();
    const consent = await browser.follow(afterLogin);
    expect(consent.text).toContain('Authorize <strong>Living Room TV</strong>');
    expect(consent.text).toContain('<li><code>profile</code></li><li><code>tv:watch</code></li>');
    const consentForm = formOf(consent.text);
    const done = await browser.post(consentForm.action, { csrf: consentForm.csrf, decision: 'approve' });
    await expectResult(t, browser, done, 'approved');
    for (const url of [location, afterLogin.headers.get('location')!, done.headers.get('location')!]) expect(url).not.toContain(userCode.slice(0, 4));
    expect(await status(deviceCode)).toBe('tokens');
    // A replayed consent finds the interaction used.
    expect((await browser.post(consentForm.action, { csrf: consentForm.csrf, decision: 'approve' })).status).toBe(400);
  });

  it('shows the denial, and the device gets access_denied', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    const browser = new TestBrowser(t);
    await expectResult(t, browser, await approveInBrowser(browser, userCode, { decision: 'deny' }), 'denied');
    expect(await status(deviceCode)).toBe('access_denied');
  });

  it('uses the browser\'s session instead of a login, and asks consent even for a first-party client and a remembered consent', async () => {
    const browser = new TestBrowser(t);
    await approveInBrowser(browser, (await startDevice(t)).userCode); // logs in: the browser has a session now
    for (const client of [FIRST_TV, TV, TV]) {
      const { userCode, deviceCode } = await startDevice(t, client);
      const consent = await browser.follow(await enterCode(browser, userCode));
      expect(consent.text).not.toContain('name="password"');
      expect(consent.text).toContain('value="approve"');
      const form = formOf(consent.text);
      await expectResult(t, browser, await browser.post(form.action, { csrf: form.csrf, decision: 'approve' }), 'approved');
      const tokens = await poll(t, client, deviceCode);
      expect(tokens.status, tokens.text).toBe(200);
    }
  });

  it('lets only the first of two browsers that entered the same code decide', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    const [first, second] = [new TestBrowser(t), new TestBrowser(t)];
    const firstConsent = await browserAtConsent(first, userCode);
    const secondConsent = await browserAtConsent(second, userCode);
    await expectResult(t, second, await second.post(secondConsent.action, { csrf: secondConsent.csrf, decision: 'deny' }), 'denied');
    const late = await first.post(firstConsent.action, { csrf: firstConsent.csrf, decision: 'approve' });
    expect(late.status).toBe(400);
    expect(late.text).toContain('This code expired or was already used.');
    expect(await status(deviceCode)).toBe('access_denied');
  });

  async function browserAtConsent(browser: TestBrowser, userCode: string): Promise<{ action: string; csrf: string }> {
    const login = formOf((await browser.follow(await enterCode(browser, userCode))).text);
    const consent = await browser.follow(await browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' }));
    return formOf(consent.text);
  }
});
