import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, PUBLIC_RP, type OidcLogin } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectRefused, flipSignatureByte, LOGOUT_RP, logoutPath, signIn, signWithAppKey, silentAuthorize } from './support/logout-helpers.js';

const BYE = 'https://rp.test/logged-out';
const NOT_AN_ID_TOKEN = 'The id_token_hint is not an ID token of this server.';
const NOT_REGISTERED = 'The post_logout_redirect_uri is not registered for this client.';

/**
 * Refused end-session requests (OpenID Connect RP-Initiated Logout 1.0 sections 2-3; Authlib catalogue 4.23 items
 * 207, 209, 210, 212 with our answers; checklist 70): an unregistered or altered `post_logout_redirect_uri`, one
 * that no client vouches for, a `client_id` outside the hint's `aud`, a hint that is not an ID token of this
 * server (garbage, tampered, another key, `alg: none`, an access token, a future `nbf`), repeated or structured
 * parameters. Each is a 400 error page with the page security headers, no Location, no cookie, and alice stays
 * signed in. Authlib 207/212 answer an unregistered URI with a 200 page; ours is a 400 error page.
 */
describe.each(testMatrix())('end-session refusals on %s/%s', (platform, db) => {
  let t: TestApp;
  let alice: OidcLogin;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [LOGOUT_RP, PUBLIC_RP] });
    alice = await signIn(t, LOGOUT_RP);
  });
  afterAll(() => t?.close());

  /** The request by GET and by POST: both refused with `message`; alice still signed in. */
  async function expectBothRefused(params: Record<string, string> | string, message?: string): Promise<void> {
    const query = typeof params === 'string' ? params : new URLSearchParams(params).toString();
    expectRefused(await alice.browser.get(`/oauth/logout?${query}`), message);
    expectRefused(await alice.browser.post('/oauth/logout', query), message);
    expect(await silentAuthorize(alice.browser, LOGOUT_RP)).toBe('code');
  }

  it.each([
    'https://rp.test/other',
    'https://rp.test/logged-out?x=1',
    'https://rp.test/logged-out?',
    'https://rp.test/logged-out/',
    'https://rp.test/logged-out#frag',
    'https://RP.test/logged-out',
    'http://rp.test/logged-out',
    'https://rp.test/bye',
    'https://rp.test/bye?lang=en&state=forged',
    'https://rp.test/bye?lang=fr',
    'https://public.test/bye',
    'https://evil.test/',
  ])('refuses the unregistered or altered post_logout_redirect_uri %s (Authlib 207, checklist 70)', async (uri) => {
    await expectBothRefused({ id_token_hint: alice.idToken, post_logout_redirect_uri: uri, state: 's' }, NOT_REGISTERED);
    await expectBothRefused({ client_id: LOGOUT_RP.clientId, post_logout_redirect_uri: uri }, NOT_REGISTERED);
  });

  it('refuses a post_logout_redirect_uri without id_token_hint and without client_id (Authlib 207, 212)', async () => {
    await expectBothRefused({ post_logout_redirect_uri: BYE, state: 's' }, 'The post_logout_redirect_uri cannot be checked without id_token_hint or client_id.');
  });

  it("refuses a client_id that is not in the hint's aud, even with that client's own URI (Authlib 209)", async () => {
    const mismatch = 'The client_id does not match the id_token_hint.';
    await expectBothRefused({ id_token_hint: alice.idToken, client_id: PUBLIC_RP.clientId }, mismatch);
    await expectBothRefused({ id_token_hint: alice.idToken, client_id: PUBLIC_RP.clientId, post_logout_redirect_uri: 'https://public.test/bye' }, mismatch);
    await expectBothRefused({ id_token_hint: alice.idToken, client_id: 'nobody' }, mismatch);
    await expectBothRefused({ client_id: 'nobody', post_logout_redirect_uri: BYE }, 'The client is unknown or disabled.');
  });

  it('refuses garbage, tampered, foreign and unsigned hints (Authlib 210, checklist 70 "modified id_token_hint")', async () => {
    const [header, payload, signature] = alice.idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const bobPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'user-bob' })).toString('base64url');
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid, typ: 'JWT' }).sign(privateKey);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const hints = ['garbage', 'a.b.c', `${header}.${payload}`, flipSignatureByte(alice.idToken), `${header}.${bobPayload}.${signature}`, foreign, none];
    for (const hint of hints) {
      await expectBothRefused({ id_token_hint: hint }, NOT_AN_ID_TOKEN);
      await expectBothRefused({ id_token_hint: hint, post_logout_redirect_uri: BYE, state: 's' }, NOT_AN_ID_TOKEN);
    }
  });

  it('refuses an access token JWT (typ at+jwt) of the same login as hint', async () => {
    const accessToken = alice.tokens.access_token as string;
    expect(accessToken.split('.')).toHaveLength(3);
    await expectBothRefused({ id_token_hint: accessToken, post_logout_redirect_uri: BYE }, NOT_AN_ID_TOKEN);
  });

  it('refuses a hint with a future nbf, while the same token without nbf is accepted (Authlib 210)', async () => {
    // Forged with the app's own signing key: the protocol never issues an ID token with nbf.
    const { iss, sub, aud, sid, iat, exp } = alice.claims;
    const valid = await signWithAppKey(t.app, { iss, sub, aud, sid, iat, exp });
    const future = await signWithAppKey(t.app, { iss, sub, aud, sid, iat, exp, nbf: clock.nowSeconds() + 600 });
    const wrongIssuer = await signWithAppKey(t.app, { iss: 'https://other.test', sub, aud, sid, iat, exp });
    await expectBothRefused({ id_token_hint: future, post_logout_redirect_uri: BYE }, NOT_AN_ID_TOKEN);
    await expectBothRefused({ id_token_hint: wrongIssuer, post_logout_redirect_uri: BYE }, NOT_AN_ID_TOKEN);
    // The control, from a browser without a session (so nothing of alice's ends): a valid request, redirected.
    const res = await new TestBrowser(t).get(logoutPath({ id_token_hint: valid, post_logout_redirect_uri: BYE }));
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe(BYE);
  });

  it('resolves no client from a hint with several audiences unless client_id picks one of them (Authlib 211)', async () => {
    const { iss, sub, sid, iat, exp } = alice.claims;
    const multi = await signWithAppKey(t.app, { iss, sub, aud: [LOGOUT_RP.clientId, PUBLIC_RP.clientId], sid, iat, exp });
    await expectBothRefused({ id_token_hint: multi, post_logout_redirect_uri: BYE }, 'The post_logout_redirect_uri cannot be checked without id_token_hint or client_id.');
    await expectBothRefused({ id_token_hint: multi, client_id: 'nobody', post_logout_redirect_uri: BYE }, 'The client_id does not match the id_token_hint.');
    // No client known: the matching hint alone does not log out silently; it asks.
    const page = await alice.browser.get(logoutPath({ id_token_hint: multi }));
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain('<h1>Sign out?</h1>');
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(await silentAuthorize(alice.browser, LOGOUT_RP)).toBe('code');
    // With client_id among the audiences the request is valid (shown from a browser without a session).
    const res = await new TestBrowser(t).get(logoutPath({ id_token_hint: multi, client_id: PUBLIC_RP.clientId, post_logout_redirect_uri: 'https://public.test/bye' }));
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe('https://public.test/bye');
  });

  it('refuses repeated and structured parameters', async () => {
    const hint = alice.idToken;
    await expectBothRefused(`id_token_hint=${hint}&id_token_hint=${hint}`, 'The parameter id_token_hint is repeated');
    await expectBothRefused(`id_token_hint=${hint}&post_logout_redirect_uri=${encodeURIComponent(BYE)}&state=a&state=b`, 'The parameter state is repeated');
    await expectBothRefused(`id_token_hint=${hint}&post_logout_redirect_uri=${encodeURIComponent(BYE)}&post_logout_redirect_uri=https%3A%2F%2Fevil.test%2F`);
    await expectBothRefused(`id_token_hint=${hint}&state[x]=1`);
  });
});
