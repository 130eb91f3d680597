import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { serverKey } from '../resource/support/jwt-forge.js';
import { testMatrix } from '../support/matrix.js';
import { OIDC_SCOPES } from '../support/oidc-app.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { bootLoginRig, CLIENT_SECRET, expectNoSecrets, inspected, logIn, resignIdToken, secretsSeen, startLogin, throughProvider, type LoginRig } from './support/login-helpers.js';

const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/**
 * How a browser login through `OAuthLogin` fails (OpenID Connect Core 3.1.2.6 and 3.1.3.7, RFC 6749 4.1.2.1,
 * RFC 7636), against authnest's own server behind a CountingProxy that can break or rewrite its answers: the user's
 * denial, `prompt=none` without a provider session, a missing, unknown or expired state, a provider down at the
 * token step, an ID token or UserInfo that does not hold, and `returnTo` values that would leave the app. Each
 * failure is an `OAuthClientError` whose code the host answers; none starts a session or names a token or secret.
 * A second describe: the provider rotates its signing key, and the client follows with one JWKS refetch.
 */
describe.each(testMatrix())('OAuth client: browser login failures against authnest on %s/%s', (platform, db) => {
  let rig: LoginRig;

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db, { loginTtl: 300 });
  });
  afterEach(() => rig.reset());
  afterAll(async () => {
    await rig?.close();
  });

  /** Asserts a 400 with `error: code` from the inspecting callback, and no secret anywhere in the whole error. */
  async function expectRefused(res: { status: number; body: Record<string, unknown>; text: string }, code: string, authorize?: URL) {
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toBe(code);
    expectNoSecrets(res.text, secretsSeen(rig, authorize));
  }

  async function expectNoSession(browser: ReturnType<LoginRig['browser']>) {
    const me = await browser.get(`${rig.appUrl}/me`);
    expect(me.status, me.text).toBe(401);
    expect(browser.jar.get('authnest_rp_session')).toBeUndefined();
  }

  it('answers access_denied when the user denies consent, and starts no session', async () => {
    const browser = rig.browser();
    const tokenRequests = rig.proxy.count('/oauth/token');
    const authorize = await startLogin(rig, browser);
    const callback = await throughProvider(rig, browser, authorize, { username: 'bob', decision: 'deny' });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const res = await browser.get(callback);
    expect(res.status, res.text).toBe(400);
    expect(res.body).toEqual({ error: 'access_denied' });
    await expectNoSession(browser);
    expect(rig.proxy.count('/oauth/token')).toBe(tokenRequests);
  });

  it('answers login_required for prompt=none without a session at the provider', async () => {
    const browser = rig.browser();
    const authorize = await startLogin(rig, browser, '/login/provider', { prompt: 'none' });
    expect(authorize.searchParams.get('prompt')).toBe('none');
    const answer = await browser.get(authorize.href);
    expect(answer.status, answer.text).toBe(303);
    const callback = answer.headers.get('location')!;
    expect(callback.startsWith(`${rig.appUrl}/callback?`), callback).toBe(true);
    await expectRefused(await browser.get(inspected(callback)), 'login_required', authorize);
    await expectNoSession(browser);
  });

  it('answers invalid_state for a callback without state, with an unknown state, and after loginTtl', async () => {
    const browser = rig.browser();
    const tokenRequests = rig.proxy.count('/oauth/token');
    const iss = `iss=${encodeURIComponent(rig.proxy.url)}`;
    expect((await browser.get(`${rig.appUrl}/callback?code=abc&${iss}`)).body).toEqual({ error: 'invalid_state' });
    const authorize = await startLogin(rig, browser); // this browser has a binding cookie now: still refused
    expect((await browser.get(`${rig.appUrl}/callback?code=abc&${iss}`)).body).toEqual({ error: 'invalid_state' });
    expect((await browser.get(`${rig.appUrl}/callback?state=${'A'.repeat(43)}&code=abc&${iss}`)).body).toEqual({ error: 'invalid_state' });
    const callback = await throughProvider(rig, browser, authorize);
    rig.clock.advance(301);
    await expectRefused(await browser.get(inspected(callback)), 'invalid_state', authorize);
    expect(rig.proxy.count('/oauth/token')).toBe(tokenRequests);
    await expectNoSession(browser);
    // Within loginTtl a login succeeds (the time passes before the provider step: its codes live shorter).
    const again = await startLogin(rig, browser);
    rig.clock.advance(299);
    expect((await browser.get(await throughProvider(rig, browser, again))).status).toBe(303);
  });

  it.each(['error', 'reset'] as const)('answers unavailable when the token endpoint fails (%s), and the attempt is used up', async (mode) => {
    const browser = rig.browser();
    const authorize = await startLogin(rig, browser);
    const callback = await throughProvider(rig, browser, authorize);
    rig.proxy.only = '/oauth/token';
    rig.proxy.mode = mode;
    const before = rig.proxy.count('/oauth/token');
    await expectRefused(await browser.get(inspected(callback)), 'unavailable', authorize);
    expect(rig.proxy.count('/oauth/token')).toBe(before + 1);
    rig.reset();
    // The provider is back, but the attempt was taken: the same callback is refused before any token request.
    expect((await browser.get(callback)).body).toEqual({ error: 'invalid_state' });
    expect(rig.proxy.count('/oauth/token')).toBe(before + 1);
    await expectNoSession(browser);
  });

  it('answers unavailable when UserInfo fails after a good ID token, and starts no session', async () => {
    rig.proxy.only = '/oauth/userinfo';
    rig.proxy.mode = 'error';
    const browser = rig.browser();
    const { authorize, done } = await logIn(rig, browser, { inspect: true });
    await expectRefused(done, 'unavailable', authorize);
    await expectNoSession(browser);
  });

  it('accepts an ID token re-signed with the provider key and the same claims (the rewrites below are sound)', async () => {
    rig.tamper.set('/oauth/token', resignIdToken(rig.provider, (claims) => claims));
    const browser = rig.browser();
    const { done } = await logIn(rig, browser, { inspect: true });
    expect(done.status, done.text).toBe(303);
    expect((await browser.get(`${rig.appUrl}/me`)).body).toMatchObject({ sub: 'user-alice' });
  });

  const idTokenCases: [string, (rig: LoginRig) => ReturnType<typeof resignIdToken>][] = [
    ['signed with another key under the same kid', (r) => resignIdToken(r.provider, (claims) => claims, { privateKey: otherKey })],
    ['signed HS256 with the client secret', (r) => resignIdToken(r.provider, (claims) => claims, { secret: CLIENT_SECRET })],
    ['with alg none', (r) => resignIdToken(r.provider, (claims) => claims, { none: true })],
    ['with another iss', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, iss: 'https://evil.example' }))],
    ['with another aud', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, aud: 'other-app' }))],
    ['with several audiences and no azp', (r) => resignIdToken(r.provider, ({ azp: _azp, ...claims }) => ({ ...claims, aud: ['web-app', 'other-app'] }))],
    ['with a wrong nonce', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, nonce: 'another-nonce' }))],
    ['without nonce', (r) => resignIdToken(r.provider, ({ nonce: _nonce, ...claims }) => claims)],
    ['expired', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, exp: Math.floor(r.clock.now() / 1000) - 120 }))],
    ['missing from the token response', () => ({ id_token: _dropped, ...answer }) => answer],
  ];
  it.each(idTokenCases)('answers invalid_id_token for an ID token %s, and starts no session', async (_name, rewrite) => {
    rig.tamper.set('/oauth/token', rewrite(rig));
    const browser = rig.browser();
    const { authorize, done } = await logIn(rig, browser, { inspect: true });
    await expectRefused(done, 'invalid_id_token', authorize);
    await expectNoSession(browser);
  });

  it('answers invalid_userinfo when UserInfo names another sub than the ID token', async () => {
    rig.tamper.set('/oauth/userinfo', (answer) => ({ ...answer, sub: 'user-bob' }));
    const browser = rig.browser();
    const { authorize, done } = await logIn(rig, browser, { inspect: true });
    expect(rig.proxy.exchangesFor('/oauth/userinfo').at(-1)?.upstream?.status).toBe(200);
    await expectRefused(done, 'invalid_userinfo', authorize);
    await expectNoSession(browser);
  });

  it.each(['https://evil.example', '//evil.example', '/\\evil', 'javascript:x', '/\t/evil.example', 'evil.example/me'])(
    'sends the browser to / after login for returnTo %j',
    async (returnTo) => {
      const browser = rig.browser();
      const { done } = await logIn(rig, browser, { query: { returnTo } });
      expect(done.status, done.text).toBe(303);
      expect(done.headers.get('location')).toBe('/');
    },
  );

  it('sends the browser to / for a repeated returnTo (an array, not one path)', async () => {
    const browser = rig.browser();
    const query: [string, string][] = [['returnTo', '/ok'], ['returnTo', '//evil.example']];
    const { done } = await logIn(rig, browser, { query });
    expect(done.status, done.text).toBe(303);
    expect(done.headers.get('location')).toBe('/');
  });

  it('keeps a returnTo path of the app with its query', async () => {
    const browser = rig.browser();
    const { done } = await logIn(rig, browser, { query: { returnTo: '/me?x=1' } });
    expect(done.status, done.text).toBe(303);
    expect(done.headers.get('location')).toBe('/me?x=1');
  });

  it('names no token or secret in any error of a login, and never the encryption secret', async () => {
    const browser = rig.browser();
    rig.tamper.set('/oauth/token', (answer) => ({ ...answer, token_type: 'mac' }));
    const { authorize, done } = await logIn(rig, browser, { inspect: true });
    await expectRefused(done, 'unavailable', authorize);
    expect(done.text).not.toContain(TEST_SECRET);
    expect(JSON.stringify(done.body)).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT at all
  });
});

/**
 * Key rotation at the provider: a second instance of authnest's server on the same database signs with RS256, so
 * its boot publishes a key the client has never seen (as the resource server's key-rotation suite does). The client
 * kept the JWKS of its first fetch; an ID token under the new `kid` makes it fetch the JWKS once more, and a `kid`
 * that is still unknown afterwards is refused without another fetch.
 */
describe.each(testMatrix())('OAuth client: the provider rotates its signing key, on %s/%s', (platform, db) => {
  let rig: LoginRig;
  let second: TestApp | undefined;

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db);
  });
  afterAll(async () => {
    await second?.close();
    await rig?.close();
  });

  it('keeps the JWKS it fetched, refetches it once for a new kid, and refuses a kid that is still unknown', async () => {
    const jwks = () => rig.proxy.count('/oauth/jwks');
    for (let i = 0; i < 2; i += 1) expect((await logIn(rig, rig.browser())).done.status).toBe(303);
    expect(jwks()).toBe(1);

    second = await bootTestApp({
      platform,
      db,
      clock: rig.clock,
      database: rig.provider.database,
      imports: [TestAccountsModule],
      options: { issuer: rig.proxy.url, scopes: OIDC_SCOPES, signing: { algorithm: 'RS256', encryptionSecret: TEST_SECRET } },
    });
    rig.proxy.target = second.url;
    rig.clock.advance(61);
    const browser = rig.browser();
    const { done } = await logIn(rig, browser);
    expect(done.status, done.text).toBe(303);
    const idToken = JSON.parse(rig.proxy.exchangesFor('/oauth/token').at(-1)!.upstream!.body).id_token as string;
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: serverKey(second).kid });
    expect(jwks()).toBe(2);
    expect((await browser.get(`${rig.appUrl}/me`)).body).toMatchObject({ sub: 'user-alice' });
    expect((await logIn(rig, rig.browser())).done.status).toBe(303);
    expect(jwks()).toBe(2);

    rig.tamper.set('/oauth/token', resignIdToken(second, (claims) => claims, { kid: 'never-published', privateKey: otherKey }));
    const { authorize, done: refused } = await logIn(rig, rig.browser(), { inspect: true });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error).toBe('invalid_id_token');
    expectNoSecrets(refused.text, secretsSeen(rig, authorize));
    expect(jwks()).toBe(2);
  });
});
