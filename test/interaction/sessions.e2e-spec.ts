import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, FIRST, signedInBrowser, SPA } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';

const silent = () => authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'none' }));

/**
 * Login sessions (checklist H69, K; RFC 6265bis prefixes): a signed random token in an HttpOnly, SameSite=Lax
 * cookie, only its SHA-256 in the database, rotated at every login, expiring after `interaction.sessionTtl`.
 */
describe.each(testMatrix())('login sessions on %s/%s', (platform, db) => {
  let t: TestApp;
  let secure: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clock, options: { interaction: { sessionTtl: 120 } } });
    secure = await bootFlowApp(platform, db, { options: { issuer: 'https://auth.example.test' } });
  });
  afterAll(async () => {
    await t?.close();
    await secure?.close();
  });

  it('stores only the SHA-256 of the session token; the cookie is token.mac with the session TTL', async () => {
    const alice = await signedInBrowser(t);
    const cookie = alice.jar.get('authnest_session')!;
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Max-Age=120', 'Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(cookie.attributes.some((a) => /^domain=/i.test(a))).toBe(false);
    const [token, mac] = cookie.value.split('.');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await tableRows(t.app, 'SessionEntity');
    expect(rows.map((row) => row.token_hash)).toContain(sha256(token!));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.find((row) => row.token_hash === sha256(token!))).toMatchObject({ account_id: 'user-alice' });
  });

  it('ignores a session cookie whose MAC does not verify', async () => {
    const alice = await signedInBrowser(t);
    const [token] = alice.jar.get('authnest_session')!.value.split('.');
    for (const value of [`${token}.${'A'.repeat(43)}`, token!, `${token}.`]) {
      alice.jar.set('authnest_session', value);
      expect(clientRedirect(await alice.get(silent()), 'https://first.test/cb').get('error')).toBe('login_required');
    }
  });

  it('ends after interaction.sessionTtl', async () => {
    const alice = await signedInBrowser(t);
    clock.advance(119);
    expect(clientRedirect(await alice.get(silent()), 'https://first.test/cb').get('code')).toBeTruthy();
    clock.advance(2);
    expect(clientRedirect(await alice.get(silent()), 'https://first.test/cb').get('error')).toBe('login_required');
  });

  it('rotates the session at login and ends the one the browser had (no fixation)', async () => {
    const planted = (await signedInBrowser(t, 'bob')).jar.get('authnest_session')!.value;
    const browser = new TestBrowser(t);
    browser.jar.store(new Headers([['set-cookie', `authnest_session=${planted}; Path=/`]]));
    const done = await authorizeWithLogin(browser, codeRequest(FIRST, pkce().challenge, { prompt: 'login' }));
    clientRedirect(done, 'https://first.test/cb');
    expect(browser.jar.get('authnest_session')!.value).not.toBe(planted);
    const replay = new TestBrowser(t);
    replay.jar.store(new Headers([['set-cookie', `authnest_session=${planted}; Path=/`]]));
    expect(clientRedirect(await replay.get(silent()), 'https://first.test/cb').get('error')).toBe('login_required');
  });

  it('keeps two sign-ins in two tabs apart: each interaction has its own cookie path', async () => {
    const browser = new TestBrowser(t);
    const one = await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { state: 'one' })));
    const two = await browser.get(authorizePath(codeRequest(FIRST, pkce().challenge, { state: 'two' })));
    expect(browser.jar.all().filter((c) => c.name === 'authnest_interaction')).toHaveLength(2);
    for (const [start, uri, state] of [[two, 'https://first.test/cb', 'two'], [one, 'https://spa.test/cb', 'one']] as const) {
      const page = await browser.follow(start);
      let res = await browser.post(formOf(page.text).action, { csrf: formOf(page.text).csrf, username: 'alice', password: 'alice-password' });
      if (res.headers.get('location')?.includes('/oauth/interaction/')) {
        const consent = formOf((await browser.follow(res)).text);
        res = await browser.post(consent.action, { csrf: consent.csrf, decision: 'approve' });
      }
      expect(clientRedirect(res, uri).get('state')).toBe(state);
    }
  });

  it('on an https issuer: __Host-authnest_session and __Secure-authnest_interaction, both Secure', async () => {
    const browser = new TestBrowser(secure);
    const start = await browser.get(authorizePath(codeRequest(FIRST, pkce().challenge)));
    expect(start.headers.get('location')).toMatch(/^https:\/\/auth\.example\.test\/oauth\/interaction\//);
    const binding = browser.jar.get('__Secure-authnest_interaction')!;
    expect(binding.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax']));
    const page = await browser.follow(start);
    const form = formOf(page.text);
    clientRedirect(await browser.post(form.action, { csrf: form.csrf, username: 'alice', password: 'alice-password' }), 'https://first.test/cb');
    const session = browser.jar.get('__Host-authnest_session')!;
    expect(session.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']));
    expect(session.attributes.some((a) => /^domain=/i.test(a))).toBe(false);
    expect(browser.jar.get('authnest_session')).toBeUndefined();
  });
});
