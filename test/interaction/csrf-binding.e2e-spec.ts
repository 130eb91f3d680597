import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, formOf, pkce, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';

/** At the consent page of a fresh interaction: the browser, the page URL and its form. */
async function atConsent(t: TestApp, username = 'alice', browser = new TestBrowser(t)) {
  const start = await browser.get(authorizePath(codeRequest(WEB, pkce().challenge, { prompt: 'consent' })));
  const pageUrl = start.headers.get('location')!;
  const login = formOf((await browser.follow(start)).text);
  const afterLogin = await browser.post(login.action, { csrf: login.csrf, username, password: `${username}-password` });
  expect(afterLogin.status).toBe(303);
  const form = formOf((await browser.get(pageUrl)).text);
  return { browser, pageUrl, form };
}

/**
 * CSRF and browser binding of the interaction pages (checklist H63-H65, A10): per-interaction CSRF token,
 * interaction cookie, cross-site POSTs refused with 403, 303 after POSTs, single use.
 */
describe.each(testMatrix())('interaction CSRF and binding on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clock });
  });
  afterAll(() => t?.close());

  const counts = async () => ({
    codes: (await tableRows(t.app, 'AuthorizationCodeEntity')).length,
    consents: (await tableRows(t.app, 'ConsentEntity')).length,
  });

  it('refuses a consent POST without the CSRF token, with another interaction\'s token, or cross-site (H63)', async () => {
    const { browser, form } = await atConsent(t);
    const other = await atConsent(t, 'bob');
    const before = await counts();
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ decision: 'approve' }, {}],
      [{ csrf: other.form.csrf, decision: 'approve' }, {}],
      [{ csrf: form.csrf, decision: 'approve' }, { 'sec-fetch-site': 'cross-site' }],
      [{ csrf: form.csrf, decision: 'approve' }, { origin: 'https://evil.test' }],
      [{ csrf: form.csrf, decision: 'approve' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }],
      [{ csrf: form.csrf, decision: 'approve' }, { 'sec-fetch-site': 'same-site' }],
      [{ csrf: form.csrf, decision: 'approve' }, { origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' }],
      [{ csrf: form.csrf, decision: 'approve' }, { origin: `${t.issuer}.evil.test` }],
    ];
    for (const [body, headers] of attempts) {
      const res = await browser.post(form.action, body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(await counts()).toEqual(before);
    // The genuine form still works: under Referrer-Policy: no-referrer, browsers send Origin: null.
    const ok = await browser.post(form.action, { csrf: form.csrf, decision: 'approve' }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(clientRedirect(ok, 'https://client.test/cb').get('code')).toBeTruthy();
  });

  it('has no GET route for the forms: consent and login by GET change nothing (H63, H64)', async () => {
    const { browser, pageUrl } = await atConsent(t);
    const before = await counts();
    expect((await browser.get(`${pageUrl}/consent?decision=approve`)).status).toBe(404);
    const fresh = new TestBrowser(t);
    const start = await fresh.get(authorizePath(codeRequest(WEB, pkce().challenge)));
    const url = start.headers.get('location')!;
    expect((await fresh.get(`${url}/login?username=alice&password=alice-password`)).status).toBe(404);
    const page = await fresh.get(`${url}?username=alice&password=alice-password`);
    expect(page.text).toContain('name="password"');
    expect(fresh.jar.get('authnest_session')).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('refuses a cross-site login POST and sets no session cookie (H64 login CSRF)', async () => {
    const browser = new TestBrowser(t);
    const login = formOf((await browser.follow(await browser.get(authorizePath(codeRequest(WEB, pkce().challenge))))).text);
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.test' }] as Record<string, string>[]) {
      const res = await browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' }, headers);
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('answers the login and consent POSTs with 303, never 307/308, with no password in Location (A10)', async () => {
    const browser = new TestBrowser(t);
    const login = formOf((await browser.follow(await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { prompt: 'consent' }))))).text);
    const afterLogin = await browser.post(login.action, { csrf: login.csrf, username: 'bob', password: 'bob-password' });
    expect(afterLogin.status).toBe(303);
    expect(afterLogin.headers.get('location')).not.toContain('password');
    const form = formOf((await browser.follow(afterLogin)).text);
    const done = await browser.post(form.action, { csrf: form.csrf, decision: 'approve' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).not.toContain('password');
  });

  it('refuses a replayed or double-submitted consent with an error page and no second code (H65)', async () => {
    const { browser, form } = await atConsent(t);
    const before = await counts();
    const [a, b] = await Promise.all([
      browser.post(form.action, { csrf: form.csrf, decision: 'approve' }),
      browser.post(form.action, { csrf: form.csrf, decision: 'approve' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 400]);
    const replay = await browser.post(form.action, { csrf: form.csrf, decision: 'approve' });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('location')).toBeNull();
    expect((await counts()).codes).toBe(before.codes + 1);
  });

  it('refuses to continue an interaction in another browser, even with its CSRF token (H65)', async () => {
    const a = new TestBrowser(t);
    const start = await a.get(authorizePath(codeRequest(WEB, pkce().challenge)));
    const url = start.headers.get('location')!;
    const login = formOf((await a.get(url)).text);
    const b = new TestBrowser(t);
    expect((await b.get(url)).status).toBe(403);
    const res = await b.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' });
    expect(res.status).toBe(403);
    expect(b.jar.get('authnest_session')).toBeUndefined();
  });

  it('refuses a forged binding cookie and the cookie of another interaction (H65)', async () => {
    const a = new TestBrowser(t);
    const first = await a.get(authorizePath(codeRequest(WEB, pkce().challenge)));
    const cookieA = a.jar.get('authnest_interaction')!.value;
    const b = new TestBrowser(t);
    const second = await b.get(authorizePath(codeRequest(WEB, pkce().challenge)));
    const secondPath = new URL(second.headers.get('location')!).pathname;
    const forged = `${cookieA.slice(0, cookieA.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    for (const value of [cookieA, forged]) {
      b.jar.set('authnest_interaction', value);
      expect((await b.get(secondPath)).status).toBe(403);
    }
    a.jar.set('authnest_interaction', forged);
    expect((await a.get(first.headers.get('location')!)).status).toBe(403);
  });

  it('refuses consent after the session switched to another account (H65)', async () => {
    const { browser, form } = await atConsent(t);
    // In another tab of the same browser, bob logs in.
    const tab = await browser.follow(await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { prompt: 'login' }))));
    const login = formOf(tab.text);
    await browser.post(login.action, { csrf: login.csrf, username: 'bob', password: 'bob-password' });
    const before = await counts();
    const res = await browser.post(form.action, { csrf: form.csrf, decision: 'approve' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect((await counts()).codes).toBe(before.codes);
  });

  it('refuses an interaction after its TTL (H65)', async () => {
    const { browser, pageUrl, form } = await atConsent(t);
    clock.advance(601);
    expect((await browser.get(pageUrl)).status).toBe(400);
    const res = await browser.post(form.action, { csrf: form.csrf, decision: 'approve' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('expired');
  });
});
