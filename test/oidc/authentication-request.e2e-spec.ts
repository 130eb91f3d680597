import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, oidcRequest, PUBLIC_RP, redeemCode, RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { authorize, foreignToken, redirectError, rowCounts, silentTokens, verifyIdToken } from './support/id-token-helpers.js';

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The OpenID Connect parameters of the authentication request (Core 3.1.2.1, 3.1.2.6; checklist 69 and 99;
 * Authlib catalogue 156-157): `prompt=none`, `max_age` (fresh login and new `auth_time`, malformed values refused),
 * `login_hint` (prefilled and escaped), `id_token_hint` and a `sub` value in `claims` (only that user may be the
 * answer; a hint not of this server and this client is refused; an expired one is fine), `ui_locales` and
 * `claims_locales` (accepted, ignored).
 */
describe.each(testMatrix())('authentication request parameters on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock });
  });
  afterAll(() => t?.close());

  it('prompt=none without a session: login_required with state and iss, nothing created (157, 69)', async () => {
    const before = await rowCounts(t);
    const res = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { prompt: 'none' }))}`);
    expect(redirectError(res, RP, t)).toBe('login_required');
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each([
    ['max_age=0', { max_age: '0' }],
    ['prompt=login', { prompt: 'login' }],
  ])('%s shows the login page despite a fresh session; the ID token has the new auth_time and sid (69, 156)', async (_name, extra) => {
    const alice = await oidcLogin(t, RP);
    clock.advance(5);
    const again = await oidcLogin(t, RP, { browser: alice.browser, extra });
    expect(again.claims.auth_time).toBe(seconds(clock.now()));
    expect(again.claims.auth_time).toBe(Number(alice.claims.auth_time) + 5);
    expect(again.claims.sid).not.toBe(alice.claims.sid);
  });

  it('max_age=N: a session younger than N answers with its auth_time; an older one forces a new login (69)', async () => {
    const alice = await oidcLogin(t, RP);
    clock.advance(120);
    const young = await silentTokens(t, alice.browser, RP, { max_age: '300' });
    expect((await verifyIdToken(t, young.idToken, 'rp', clock.now())).payload.auth_time).toBe(alice.claims.auth_time);
    const fresh = await oidcLogin(t, RP, { browser: alice.browser, extra: { max_age: '60' } });
    expect(fresh.claims.auth_time).toBe(seconds(clock.now()));
    expect(fresh.claims.auth_time).toBe(Number(alice.claims.auth_time) + 120);
  });

  it('max_age with prompt=none and a stale session (or max_age=0): login_required, nothing created', async () => {
    const alice = await oidcLogin(t, RP);
    clock.advance(61);
    const before = await rowCounts(t);
    for (const maxAge of ['60', '0']) {
      const { res } = await authorize(alice.browser, RP, { max_age: maxAge, prompt: 'none' });
      expect(redirectError(res, RP, t), maxAge).toBe('login_required');
    }
    expect(await rowCounts(t)).toEqual(before);
    // The session itself still answers a request it fits.
    await silentTokens(t, alice.browser, RP, { max_age: '61', prompt: 'none' });
  });

  it('refuses max_age -1, 1e309, 9007199254740993, abc and 1.5 with invalid_request, state and iss, nothing created (99)', async () => {
    const before = await rowCounts(t);
    for (const maxAge of ['-1', '1e309', '9007199254740993', 'abc', '1.5']) {
      const res = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { max_age: maxAge }))}`);
      expect(redirectError(res, RP, t), maxAge).toBe('invalid_request');
      expect(clientRedirect(res, 'https://rp.test/cb').get('error_description')).toMatch(/max_age/);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('login_hint prefills the username, escaped; an overlong hint is ignored', async () => {
    const pageFor = async (hint: string) => {
      const browser = new TestBrowser(t);
      const page = await browser.follow((await authorize(browser, RP, { login_hint: hint })).res);
      expect(page.status).toBe(200);
      return page.text;
    };
    expect(await pageFor('alice')).toContain('<input id="username" name="username" value="alice" ');
    const hostile = await pageFor('a"><script>alert(1)</script>');
    expect(hostile).toContain('name="username" value="a&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;" ');
    expect(hostile).not.toContain('<script>alert');
    expect(await pageFor('x'.repeat(256))).toContain('<input id="username" name="username" autocomplete="username"');
  });

  it('id_token_hint of the logged-in user with prompt=none: a code for that user', async () => {
    const alice = await oidcLogin(t, RP);
    const silent = await silentTokens(t, alice.browser, RP, { prompt: 'none', id_token_hint: alice.idToken });
    expect((await verifyIdToken(t, silent.idToken, 'rp', clock.now())).payload.sub).toBe('user-alice');
  });

  it("a hint for bob while alice is logged in: login_required silently; otherwise only bob's login gives a code (69)", async () => {
    const bob = await oidcLogin(t, RP, { username: 'bob' });
    const alice = await oidcLogin(t, RP);
    const before = await rowCounts(t);
    const silent = await authorize(alice.browser, RP, { prompt: 'none', id_token_hint: bob.idToken });
    expect(redirectError(silent.res, RP, t)).toBe('login_required');
    expect(await rowCounts(t)).toEqual(before);

    // Without prompt the session does not answer: the login page is shown.
    const shown = new TestBrowser(t, alice.browser.jar.clone());
    expect((await shown.follow((await authorize(shown, RP, { id_token_hint: bob.idToken })).res)).text).toContain('name="password"');
    const asAlice = new TestBrowser(t, alice.browser.jar.clone());
    const wrong = await authorizeWithLogin(asAlice, oidcRequest(RP, pkce().challenge, { id_token_hint: bob.idToken }));
    expect(redirectError(wrong, RP, t)).toBe('login_required');
    const asBob = new TestBrowser(t, alice.browser.jar.clone());
    const { verifier, challenge } = pkce();
    const right = await authorizeWithLogin(asBob, oidcRequest(RP, challenge, { id_token_hint: bob.idToken }), { username: 'bob', password: 'bob-password' });
    const tokens = await redeemCode(t, RP, clientRedirect(right, 'https://rp.test/cb').get('code')!, verifier);
    expect((await verifyIdToken(t, tokens.body.id_token as string, 'rp', clock.now())).payload.sub).toBe('user-bob');
  });

  it('a tampered, garbage, foreign-key, other-client or access-token hint is invalid_request, nothing created', async () => {
    const alice = await oidcLogin(t, RP);
    const other = await oidcLogin(t, PUBLIC_RP);
    const [header, , signature] = alice.idToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...alice.claims, sub: 'user-bob' })).toString('base64url');
    const kid = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')).kid as string;
    const hints = {
      tampered: `${header}.${forged}.${signature}`,
      'bad signature': `${alice.idToken.slice(0, -4)}AAAA`,
      garbage: 'not-a-jwt',
      'three dots': 'a.b.c',
      'foreign key': await foreignToken({ ...alice.claims }, kid),
      'other client': other.idToken,
      'access token': alice.tokens.access_token as string,
    };
    const before = await rowCounts(t);
    for (const [name, hint] of Object.entries(hints)) {
      for (const prompt of [{ prompt: 'none' }, {}] as Record<string, string>[]) {
        const { res } = await authorize(alice.browser, RP, { id_token_hint: hint, ...prompt });
        expect(redirectError(res, RP, t), name).toBe('invalid_request');
      }
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('an expired id_token_hint is still a valid hint', async () => {
    const alice = await oidcLogin(t, RP);
    clock.advance(3600 + 600);
    expect(alice.claims.exp! * 1000).toBeLessThan(clock.now());
    const silent = await silentTokens(t, alice.browser, RP, { prompt: 'none', id_token_hint: alice.idToken });
    expect((await verifyIdToken(t, silent.idToken, 'rp', clock.now())).payload.sub).toBe('user-alice');
  });

  it('a sub value in the claims parameter behaves like a hint', async () => {
    const alice = await oidcLogin(t, RP);
    const wants = (sub: string) => JSON.stringify({ id_token: { sub: { value: sub } } });
    const before = await rowCounts(t);
    const bob = await authorize(alice.browser, RP, { prompt: 'none', claims: wants('user-bob') });
    expect(redirectError(bob.res, RP, t)).toBe('login_required');
    const clash = await authorize(alice.browser, RP, { claims: wants('user-bob'), id_token_hint: alice.idToken });
    expect(redirectError(clash.res, RP, t)).toBe('invalid_request');
    expect(await rowCounts(t)).toEqual(before);
    const shown = new TestBrowser(t, alice.browser.jar.clone());
    expect((await shown.follow((await authorize(shown, RP, { claims: wants('user-bob') })).res)).text).toContain('name="password"');
    const silent = await silentTokens(t, alice.browser, RP, { prompt: 'none', claims: wants('user-alice') });
    expect((await verifyIdToken(t, silent.idToken, 'rp', clock.now())).payload.sub).toBe('user-alice');
  });

  it('ui_locales and claims_locales are accepted, also malformed, and the builtin pages stay as they are', async () => {
    /** The login page without its per-interaction values (form action, CSRF token). */
    const pageShape = async (extra: Record<string, string>) => {
      const browser = new TestBrowser(t);
      const page = await browser.follow((await authorize(browser, RP, extra)).res);
      expect(page.status).toBe(200);
      return page.text.replace(/(action|value)="[^"]+"/g, '$1=""');
    };
    const reference = await pageShape({});
    expect(reference).toContain('<html lang="en"');
    for (const extra of [{ ui_locales: 'fr-CA de en', claims_locales: 'de' }, { ui_locales: '!!! ***', claims_locales: '%%' }]) {
      expect(await pageShape(extra)).toBe(reference);
      const login = await oidcLogin(t, RP, { extra });
      expect(login.claims.sub).toBe('user-alice');
    }
  });
});
