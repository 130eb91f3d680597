import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../support/cookie-jar.js';
import { sha256, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { TEST_SECRET } from '../support/test-app.js';
import { bootLoginRig, expectNoSecrets, logIn, secretsSeen, startLogin, storeRows as readStore, throughProvider, type LoginRig } from './support/login-helpers.js';

const SESSION = 'authnest_rp_session';
const BROWSER = 'authnest_rp_browser';

/**
 * The client app's own session after a browser login through `OAuthLogin`, against authnest's own server: the
 * session and browser-binding cookies (HttpOnly, SameSite=Lax, Path=/, signed), logins in two tabs of one
 * browser, a second login replacing the first, the session's end after `sessionTtl`, logout with and without a
 * session and without the provider's end-session, and what the store (`authnest_client_entries`, read with a
 * DataSource of its own) keeps: SHA-256 key hashes and sealed values only.
 */
describe.each(testMatrix())('OAuth client: the app session after a browser login on %s/%s', (platform, db) => {
  let rig: LoginRig;

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db, { sessionTtl: 3600, scopes: ['openid', 'profile', 'email', 'offline_access'] });
  });
  afterEach(() => rig.reset());
  afterAll(async () => {
    await rig?.close();
  });

  const me = (browser: TestBrowser) => browser.get(`${rig.appUrl}/me`);
  /** A browser that has only this session cookie. */
  const withSession = (value: string) => {
    const jar = new CookieJar();
    jar.store(new Headers([['set-cookie', `${SESSION}=${value}; Path=/`]]));
    return new TestBrowser({ url: rig.proxy.url, issuer: rig.proxy.url }, jar);
  };
  const storeRows = () => readStore(rig.clientDatabase);
  const setCookie = (headers: Headers, name: string) => headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, for sessionTtl, and the browser cookie likewise', async () => {
    const browser = rig.browser();
    const start = await browser.get(`${rig.appUrl}/login`);
    const binding = setCookie(start.headers, BROWSER)!;
    expect(binding).toBeDefined();
    const callback = await throughProvider(rig, browser, new URL(start.headers.get('location')!));
    const done = await browser.get(callback);
    expect(done.status, done.text).toBe(303);
    const session = setCookie(done.headers, SESSION)!;
    for (const line of [binding, session]) {
      const attributes = line.split(';').slice(1).map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(line.split(';')[0]).toMatch(/^authnest_rp_\w+=[\w-]{43}\.[\w-]{43}$/);
    }
    expect(session.toLowerCase()).toContain('max-age=3600');
    expect(binding.toLowerCase()).not.toContain('max-age');
    expect(setCookie(done.headers, BROWSER)).toBeUndefined();
  });

  it('is no session when the cookie is tampered with: another MAC, another token, no MAC, another purpose', async () => {
    const browser = rig.browser();
    await logIn(rig, browser);
    const value = browser.jar.get(SESSION)!.value;
    const [token, mac] = value.split('.') as [string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const binding = browser.jar.get(BROWSER)!.value;
    for (const tampered of [`${token}.${flip(mac, 10)}`, `${flip(token, 10)}.${mac}`, token, `${token}.`, binding]) {
      const res = await me(withSession(tampered));
      expect(res.status, tampered).toBe(401);
      expect(res.body).toMatchObject({ error: 'login_required' });
    }
    expect((await me(withSession(value))).status).toBe(200);
  });

  it('refuses a callback whose browser cookie was tampered with (invalid_state), without burning the attempt', async () => {
    const browser = rig.browser();
    const authorize = await startLogin(rig, browser);
    const callback = await throughProvider(rig, browser, authorize);
    const binding = browser.jar.get(BROWSER)!.value;
    browser.jar.set(BROWSER, `${binding.slice(0, -2)}${binding.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await browser.get(callback)).body).toEqual({ error: 'invalid_state' });
    expect((await me(browser)).status).toBe(401);
    browser.jar.set(BROWSER, binding);
    const done = await browser.get(callback); // the genuine cookie still finishes it
    expect(done.status, done.text).toBe(303);
    expect((await me(browser)).status).toBe(200);
  });

  it('reuses the browser cookie: two tabs start logins before either callback, and both succeed', async () => {
    const browser = rig.browser();
    const first = await browser.get(`${rig.appUrl}/login?returnTo=/a`);
    const second = await browser.get(`${rig.appUrl}/login?returnTo=/b`);
    expect(setCookie(first.headers, BROWSER)).toBeDefined();
    expect(setCookie(second.headers, BROWSER)).toBeUndefined();
    const [tabA, tabB] = [first, second].map((res) => new URL(res.headers.get('location')!));
    expect(tabA.searchParams.get('state')).not.toBe(tabB.searchParams.get('state'));
    const callbackA = await throughProvider(rig, browser, tabA);
    const callbackB = await throughProvider(rig, browser, tabB); // the provider session: straight back
    const doneB = await browser.get(callbackB);
    expect(doneB.status, doneB.text).toBe(303);
    expect(doneB.headers.get('location')).toBe('/b');
    const doneA = await browser.get(callbackA);
    expect(doneA.status, doneA.text).toBe(303);
    expect(doneA.headers.get('location')).toBe('/a');
    expect((await me(browser)).body).toMatchObject({ sub: 'user-alice' });
  });

  it('replaces the session at a second login in the same browser: the old cookie no longer works', async () => {
    const browser = rig.browser();
    await logIn(rig, browser);
    const old = browser.jar.get(SESSION)!.value;
    const { done } = await logIn(rig, browser);
    expect(done.status, done.text).toBe(303);
    const current = browser.jar.get(SESSION)!.value;
    expect(current).not.toBe(old);
    expect((await me(withSession(old))).status).toBe(401);
    expect((await me(withSession(current))).status).toBe(200);
    const keys = (await storeRows()).map((row) => row.key_hash);
    expect(keys).toContain(sha256(current.split('.')[0]!));
    expect(keys).not.toContain(sha256(old.split('.')[0]!));
  });

  it('ends the session after sessionTtl', async () => {
    const browser = rig.browser();
    await logIn(rig, browser);
    rig.clock.advance(3599);
    expect((await me(browser)).status).toBe(200);
    rig.clock.advance(2);
    expect((await me(browser)).status).toBe(401);
  });

  it('logs out without a session with a plain 303 to /', async () => {
    const out = await rig.browser().post(`${rig.appUrl}/logout`, {});
    expect(out.status, out.text).toBe(303);
    expect(out.headers.get('location')).toBe('/');
  });

  it('logs out locally only through a provider without postLogoutRedirectUri; the provider session stays', async () => {
    const browser = rig.browser();
    const { done } = await logIn(rig, browser, { path: '/login/local' });
    expect(done.status, done.text).toBe(303);
    expect((await me(browser)).body).toMatchObject({ provider: 'local', sub: 'user-alice' });
    const logoutsBefore = rig.proxy.count('/oauth/logout');
    const out = await browser.post(`${rig.appUrl}/logout`, {});
    expect(out.status, out.text).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(setCookie(out.headers, SESSION)?.toLowerCase()).toMatch(/max-age=0/);
    expect((await me(browser)).status).toBe(401);
    expect(rig.proxy.count('/oauth/logout')).toBe(logoutsBefore);
    // Still signed in at the provider: prompt=none comes straight back with a code, and signs in again.
    const silent = await startLogin(rig, browser, '/login/local', { prompt: 'none' });
    const answer = await browser.get(silent.href);
    expect(new URL(answer.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect((await browser.get(answer.headers.get('location')!)).status).toBe(303);
    expect((await me(browser)).status).toBe(200);
  });

  it('stores only SHA-256 key hashes and sealed values: no token, verifier, nonce or email in clear', async () => {
    const browser = rig.browser();
    const authorize = await startLogin(rig, browser, '/login/provider', { prompt: 'consent' });
    const state = authorize.searchParams.get('state')!;
    const pending = await storeRows();
    expect(pending.map((row) => row.key_hash)).toContain(sha256(state));
    const callback = await throughProvider(rig, browser, authorize);
    expect((await browser.get(callback)).status).toBe(303);
    const token = JSON.parse(rig.proxy.exchangesFor('/oauth/token').at(-1)!.upstream!.body) as Record<string, string>;
    expect(token.refresh_token, 'offline_access with prompt=consent gives a refresh token').toBeTruthy();
    const session = browser.jar.get(SESSION)!.value.split('.')[0]!;
    const signedIn = await storeRows();
    const keys = signedIn.map((row) => row.key_hash);
    expect(keys).toContain(sha256(session));
    expect(keys).not.toContain(sha256(state));
    const secrets = [...secretsSeen(rig, authorize), session, browser.jar.get(BROWSER)!.value.split('.')[0]!, TEST_SECRET, 'alice@example.com', 'Alice Example'];
    for (const row of [...pending, ...signedIn]) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.value).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
      const decoded = row.value.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join('\n');
      expectNoSecrets(`${row.key_hash}\n${row.value}\n${decoded}`, secrets);
    }
  });

});
