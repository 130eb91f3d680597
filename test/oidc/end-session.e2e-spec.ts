import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, PUBLIC_RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import {
  cloneBrowser, expectPageHeaders, expectSessionCleared, isConfirmationPage, isSignedOutPage, LOGOUT_PAIRWISE_RP, LOGOUT_RP, logoutPath,
  signIn, silentAuthorize,
} from './support/logout-helpers.js';

const BYE = 'https://rp.test/logged-out';

/**
 * The end-session endpoint, GET and POST `/oauth/logout` (OpenID Connect RP-Initiated Logout 1.0 sections 2-3;
 * Authlib catalogue 4.23 items 205, 206, 208, 210 (expired hint), 211; checklist 69 "invalid after logout", 70):
 * a valid `id_token_hint` of the browser's own session logs out at once (cookie cleared with Max-Age=0, the old
 * cookie no longer logs in) and redirects 303 to a registered `post_logout_redirect_uri` with `state`; without a
 * hint, or with a hint of another user or session, a confirmation page asks first (no silent logout); without a
 * session there is nothing to end: redirect or signed-out page, never an error. Refusals: end-session-errors.
 */
describe.each(testMatrix())('end-session endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [LOGOUT_RP, PUBLIC_RP, LOGOUT_PAIRWISE_RP] });
  });
  afterAll(() => t?.close());

  it('logs out at once with a hint of the current session: signed-out page, cookie cleared, the old cookie dead (Authlib 205)', async () => {
    const { browser, idToken } = await signIn(t, LOGOUT_RP);
    const oldCookie = cloneBrowser(t, browser);
    expect(await silentAuthorize(cloneBrowser(t, browser), LOGOUT_RP)).toBe('code');

    const res = await browser.get(logoutPath({ id_token_hint: idToken }));
    expect(isSignedOutPage(res), res.text).toBe(true);
    expectPageHeaders(res);
    expectSessionCleared(res);
    expect(browser.jar.get('authnest_session')).toBeUndefined();
    expect(await silentAuthorize(oldCookie, LOGOUT_RP)).toBe('login_required');
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('login_required');
  });

  it.each([
    ['no state', { post_logout_redirect_uri: BYE }, BYE],
    ['state', { post_logout_redirect_uri: BYE, state: 'xyz' }, `${BYE}?state=xyz`],
    ['state with reserved characters', { post_logout_redirect_uri: BYE, state: 'a b&c=d/é' }, `${BYE}?state=a%20b%26c%3Dd%2F%C3%A9`],
    ['a registered URI with its own query', { post_logout_redirect_uri: 'https://rp.test/bye?lang=en', state: 's1' }, 'https://rp.test/bye?lang=en&state=s1'],
  ])('GET with a registered post_logout_redirect_uri and %s: 303 there, logged out (Authlib 206)', async (_name, params, location) => {
    const { browser, idToken } = await signIn(t, LOGOUT_RP);
    const oldCookie = cloneBrowser(t, browser);
    const res = await browser.get(logoutPath({ id_token_hint: idToken, ...params }));
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe(location);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.text).toBe('');
    expectSessionCleared(res);
    expect(await silentAuthorize(oldCookie, LOGOUT_RP)).toBe('login_required');
  });

  it('POST form variant is identical: 303 with state, cookie cleared, logged out (Authlib 206)', async () => {
    const { browser, idToken } = await signIn(t, LOGOUT_RP);
    const oldCookie = cloneBrowser(t, browser);
    const res = await browser.post('/oauth/logout', { id_token_hint: idToken, post_logout_redirect_uri: 'https://rp.test/bye?lang=en', state: 'p s' });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe('https://rp.test/bye?lang=en&state=p%20s');
    expectSessionCleared(res);
    expect(await silentAuthorize(oldCookie, LOGOUT_RP)).toBe('login_required');

    const again = await signIn(t, LOGOUT_RP);
    const page = await again.browser.post('/oauth/logout', { id_token_hint: again.idToken });
    expect(isSignedOutPage(page), page.text).toBe(true);
    expectSessionCleared(page);
  });

  it('accepts client_id when it is the hint audience, and resolves the client from a single aud without it (Authlib 211)', async () => {
    const { browser, idToken } = await signIn(t, PUBLIC_RP);
    const res = await browser.get(logoutPath({ id_token_hint: idToken, client_id: PUBLIC_RP.clientId, post_logout_redirect_uri: 'https://public.test/bye', state: 'k' }));
    expect(res.headers.get('location')).toBe('https://public.test/bye?state=k');
    expectSessionCleared(res);
    expect(await silentAuthorize(browser, PUBLIC_RP)).toBe('login_required');
  });

  it('accepts an expired hint (FakeClock past idTokenTtl) and logs out at once (Authlib 210)', async () => {
    const { browser, idToken, claims } = await signIn(t, LOGOUT_RP);
    clock.advance(3600 + 120);
    expect(claims.exp!).toBeLessThan(clock.nowSeconds());
    const res = await browser.get(logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 'late' }));
    expect(res.headers.get('location')).toBe(`${BYE}?state=late`);
    expectSessionCleared(res);
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('login_required');
  });

  it('logs out at once with the hint of a pairwise client (its sub is the pairwise one)', async () => {
    const { browser, idToken, claims } = await signIn(t, LOGOUT_PAIRWISE_RP);
    expect(claims.sub).not.toBe('user-alice');
    const res = await browser.get(logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: 'https://pairwise.test/bye' }));
    expect(res.headers.get('location')).toBe('https://pairwise.test/bye');
    expectSessionCleared(res);
    expect(await silentAuthorize(browser, LOGOUT_PAIRWISE_RP)).toBe('login_required');
  });

  it('shows a confirmation page without a hint, GET or POST, and logs nobody out (Authlib 208, checklist 70)', async () => {
    const { browser } = await signIn(t, LOGOUT_RP);
    const bare = await browser.get(logoutPath());
    expect(isConfirmationPage(bare), bare.text).toBe(true);
    expect(bare.text).toContain('An application asks to sign you out.');
    expect(bare.headers.getSetCookie()).toEqual([]);
    expectPageHeaders(bare);

    const named = await browser.get(logoutPath({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE, state: 'c' }));
    expect(isConfirmationPage(named), named.text).toBe(true);
    expect(named.text).toContain('<strong>Relying Party</strong> asks to sign you out.');
    expect(named.headers.getSetCookie()).toEqual([]);
    expectPageHeaders(named, 'https://rp.test');

    const posted = await browser.post('/oauth/logout', { client_id: LOGOUT_RP.clientId });
    expect(isConfirmationPage(posted), posted.text).toBe(true);
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
  });

  it("asks first when the hint names another user or another of alice's sessions (checklist 70)", async () => {
    const alice = await signIn(t, LOGOUT_RP);
    const bob = await signIn(t, LOGOUT_RP, { username: 'bob' });
    const aliceElsewhere = await signIn(t, LOGOUT_RP);
    expect(aliceElsewhere.claims.sub).toBe(alice.claims.sub);
    expect(aliceElsewhere.claims.sid).not.toBe(alice.claims.sid);
    for (const hint of [bob.idToken, aliceElsewhere.idToken]) {
      const res = await alice.browser.get(logoutPath({ id_token_hint: hint, post_logout_redirect_uri: BYE, state: 'x' }));
      expect(isConfirmationPage(res), res.text).toBe(true);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
      expectPageHeaders(res, 'https://rp.test');
    }
    for (const login of [alice, bob, aliceElsewhere]) expect(await silentAuthorize(login.browser, LOGOUT_RP)).toBe('code');
  });

  it('without a session: redirects a valid request, else shows the signed-out page; never an error, no cookie', async () => {
    const alice = await signIn(t, LOGOUT_RP);
    const stranger = new TestBrowser(t);
    const withHint = await stranger.get(logoutPath({ id_token_hint: alice.idToken, post_logout_redirect_uri: BYE, state: 'n' }));
    expect(withHint.status, withHint.text).toBe(303);
    expect(withHint.headers.get('location')).toBe(`${BYE}?state=n`);
    expect(withHint.headers.getSetCookie()).toEqual([]);
    const byClient = await stranger.post('/oauth/logout', { client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    expect(byClient.headers.get('location')).toBe(BYE);
    const bare = await stranger.get(logoutPath());
    expect(isSignedOutPage(bare), bare.text).toBe(true);
    expect(bare.headers.getSetCookie()).toEqual([]);
    expectPageHeaders(bare);
    // alice's own session was not touched by someone else presenting her ID token.
    expect(await silentAuthorize(alice.browser, LOGOUT_RP)).toBe('code');
  });
});
