import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../support/authorization-flow.js';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, PUBLIC_RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import {
  cloneBrowser, expectPageHeaders, expectSessionCleared, isConfirmationPage, isSignedOutPage, LOGOUT_RP, logoutPath, signIn, silentAuthorize,
  ticketForm,
} from './support/logout-helpers.js';

const BYE = 'https://rp.test/logged-out';
const FORGED = 'This form was not submitted from this page.';

/** A 4xx error page that changed nothing: no redirect, no cookie. */
function expectRejected(res: TestResponse, status: 400 | 403, message: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.getSetCookie()).toEqual([]);
  expectPageHeaders(res);
  expect(res.text).toContain(message);
}

/**
 * The logout confirmation page (OpenID Connect RP-Initiated Logout 1.0 section 3: no silent logout without a
 * matching hint; Authlib 208 "executes on POST, keeps registered redirect"; checklist 70, and 63/64 for the
 * form's CSRF defences): the page's form POSTs a signed `ticket`, bound to the browser's session, to
 * `/oauth/logout/confirm`. "Sign out" ends the session and redirects with `state`; "Stay signed in" keeps it.
 * A forged or tampered ticket, another session's ticket, an expired one (past `interaction.ttl`) or a cross-site
 * POST change nothing; a ticket replayed after logout finds nothing left to do.
 */
describe.each(testMatrix())('logout confirmation on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [LOGOUT_RP, PUBLIC_RP] });
  });
  afterAll(() => t?.close());

  /** Alice signed in to RP, shown the confirmation page for `params`. */
  async function confirmationFor(params: Record<string, string>, browser?: TestBrowser): Promise<{ browser: TestBrowser; action: string; ticket: string }> {
    const login = browser ? { browser } : await signIn(t, LOGOUT_RP);
    const page = await login.browser.get(logoutPath(params));
    expect(isConfirmationPage(page), page.text).toBe(true);
    return { browser: login.browser, ...ticketForm(page.text) };
  }

  it('posts a signed ticket to /oauth/logout/confirm; "Sign out" logs out and redirects with state (Authlib 208)', async () => {
    const { browser, action, ticket } = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE, state: 'a b' });
    expect(action).toBe('/oauth/logout/confirm');
    const oldCookie = cloneBrowser(t, browser);
    const res = await browser.post(action, { ticket, decision: 'logout' });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe(`${BYE}?state=a%20b`);
    expectSessionCleared(res);
    expect(await silentAuthorize(oldCookie, LOGOUT_RP)).toBe('login_required');
  });

  it('"Sign out" without a redirect shows the signed-out page', async () => {
    const { browser, action, ticket } = await confirmationFor({});
    const res = await browser.post(action, { ticket, decision: 'logout' });
    expect(isSignedOutPage(res), res.text).toBe(true);
    expectSessionCleared(res);
    expectPageHeaders(res);
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('login_required');
  });

  it('"Stay signed in" keeps the session; a missing or unknown decision changes nothing', async () => {
    const { browser, action, ticket } = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    const stay = await browser.post(action, { ticket, decision: 'stay' });
    expect(stay.status, stay.text).toBe(200);
    expect(stay.text).toContain('<h1>You are still signed in</h1>');
    expect(stay.headers.get('location')).toBeNull();
    expect(stay.headers.getSetCookie()).toEqual([]);
    expectPageHeaders(stay);
    for (const form of [{ ticket }, { ticket, decision: 'yes' }] as Record<string, string>[]) expectRejected(await browser.post(action, form), 400, 'Choose Sign out or Stay signed in.');
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
  });

  it('refuses a missing, tampered or cross-purpose ticket with 403 (checklist 63)', async () => {
    const { browser, action, ticket } = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    const dot = ticket.lastIndexOf('.');
    const body = JSON.parse(Buffer.from(ticket.slice(0, dot), 'base64url').toString()) as Record<string, unknown>;
    const evil = Buffer.from(JSON.stringify({ ...body, redirect: { uri: 'https://evil.test/' } })).toString('base64url');
    const mac = ticket.slice(dot + 1);
    const flipped = `${ticket.slice(0, -2)}${ticket.at(-2) === 'A' ? 'B' : 'A'}${ticket.at(-1)}`;
    const sessionCookie = browser.jar.get('authnest_session')!.value;
    for (const forged of [`${evil}.${mac}`, flipped, ticket.slice(0, dot), `.${mac}`, sessionCookie, 'garbage']) {
      expectRejected(await browser.post(action, { ticket: forged, decision: 'logout' }), 403, FORGED);
    }
    expectRejected(await browser.post(action, { decision: 'logout' }), 403, FORGED);
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
  });

  it("refuses the ticket of another browser's session, of bob or of alice elsewhere (400)", async () => {
    const alice = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    const bob = await signIn(t, LOGOUT_RP, { username: 'bob' });
    const aliceElsewhere = await signIn(t, LOGOUT_RP);
    for (const other of [bob.browser, aliceElsewhere.browser]) {
      expectRejected(await other.post(alice.action, { ticket: alice.ticket, decision: 'logout' }), 400, 'You signed in or out in another window.');
    }
    for (const browser of [alice.browser, bob.browser, aliceElsewhere.browser]) expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
  });

  it('refuses an expired ticket (past interaction.ttl) with 400', async () => {
    const { browser, action, ticket } = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    clock.advance(600 + 1);
    expectRejected(await browser.post(action, { ticket, decision: 'logout' }), 400, 'This sign-out request has expired.');
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Origin: https://evil.test', { origin: 'https://evil.test' }],
    ['a same-origin Fetch Metadata with a foreign Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.test' }],
  ])('refuses a cross-site POST (%s) with 403, nothing logged out (checklist 64)', async (_name, headers) => {
    const { browser, action, ticket } = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE });
    expectRejected(await browser.post(action, { ticket, decision: 'logout' }, headers), 403, FORGED);
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
    // The same POST from the page itself (same-origin; Origin null under no-referrer) signs out.
    const res = await browser.post(action, { ticket, decision: 'logout' }, { 'sec-fetch-site': 'same-origin', origin: 'null' });
    expect(res.headers.get('location')).toBe(BYE);
    expectSessionCleared(res);
  });

  it('a ticket replayed after logout finds nothing to do: the redirect again, or the signed-out page, no error', async () => {
    const withRedirect = await confirmationFor({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: BYE, state: 'r' });
    const first = await withRedirect.browser.post(withRedirect.action, { ticket: withRedirect.ticket, decision: 'logout' });
    expectSessionCleared(first);
    const replay = await withRedirect.browser.post(withRedirect.action, { ticket: withRedirect.ticket, decision: 'logout' });
    expect(replay.status, replay.text).toBe(303);
    expect(replay.headers.get('location')).toBe(`${BYE}?state=r`);
    expect(replay.headers.getSetCookie()).toEqual([]);

    const bare = await confirmationFor({});
    await bare.browser.post(bare.action, { ticket: bare.ticket, decision: 'logout' });
    const again = await bare.browser.post(bare.action, { ticket: bare.ticket, decision: 'logout' });
    expect(isSignedOutPage(again), again.text).toBe(true);
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it('a ticket of an ended session does not end the next session of the same browser', async () => {
    const { browser, action, ticket } = await confirmationFor({});
    expectSessionCleared(await browser.post(action, { ticket, decision: 'logout' }));
    await signIn(t, LOGOUT_RP, { browser });
    expectRejected(await browser.post(action, { ticket, decision: 'logout' }), 400, 'You signed in or out in another window.');
    expect(await silentAuthorize(browser, LOGOUT_RP)).toBe('code');
    // A fresh confirmation for the new session works.
    const next = await confirmationFor({}, browser);
    expectSessionCleared(await browser.post(next.action, { ticket: next.ticket, decision: 'logout' }));
  });
});
