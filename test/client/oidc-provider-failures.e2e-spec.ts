import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/authorization-flow.js';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { TEST_SECRET } from '../support/test-app.js';
import { OP_ACCOUNT, OP_CLIENTS, signInAtProvider, startOidcProvider, type OidcProviderServer } from './support/oidc-provider-server.js';
import { bootOidcRig, inspected, signIn, toCallback, upstreamJson, webProvider, type OidcRig } from './support/oidc-provider-rig.js';

/**
 * How a browser login through `OAuthLogin` fails against a provider nobody here wrote: node-oidc-provider 9 behind a
 * CountingProxy that is its issuer. An unknown state, or a state of another browser (OpenID Connect Core 3.1.2.7,
 * RFC 6749 10.12); an ID token that another node-oidc-provider issued for the same client, user and nonce (Core
 * 3.1.3.7 item 2: `iss` must be the provider's), whether signed with the same keys or its own; the provider down at
 * the token step (500, a dropped connection, a closed port) and at the start of a login (discovery). None starts a
 * session or names a code, token or secret in the error, and a login works once the provider is back. (A wrong `iss`
 * in the callback, RFC 9207, is in oidc-provider-interop.e2e-spec.ts.)
 */
describe.each(testMatrix())('OAuth client: login failures against node-oidc-provider on %s/%s', (platform, db) => {
  let rig: OidcRig;
  /** node-oidc-provider instances of other issuers with the same client: one signing with rig.op's keys, one with its own. */
  let sameKeys: OidcProviderServer;
  let ownKeys: OidcProviderServer;

  beforeAll(async () => {
    rig = await bootOidcRig(platform, db, {
      providers: (issuer, appUrl) => ({ provider: webProvider(issuer, appUrl), coldA: webProvider(issuer, appUrl), coldB: webProvider(issuer, appUrl) }),
    });
    sameKeys = await startOidcProvider(rig.appUrl, { signingKeys: rig.op.signingKeys });
    ownKeys = await startOidcProvider(rig.appUrl);
  });
  afterEach(async () => {
    await rig.reset();
    for (const op of [rig.op, sameKeys, ownKeys]) expect(op.serverErrors).toEqual([]);
  });
  afterAll(async () => {
    await sameKeys?.close();
    await ownKeys?.close();
    await rig?.close();
  });

  /** Every secret of a login: the client secret, the callback's code, state, the nonce, and the tokens of any answer. */
  function secretsOf(authorize: URL, callback: URL): string[] {
    const values = [OP_CLIENTS.web.secret, TEST_SECRET, callback.searchParams.get('code')!, authorize.searchParams.get('state')!, authorize.searchParams.get('nonce')!];
    for (const exchange of rig.proxy.exchangesFor('/token')) {
      if (!exchange.upstream) continue;
      const body = JSON.parse(exchange.upstream.body) as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body[name] === 'string') values.push(body[name]);
    }
    return values;
  }

  function expectRefused(res: TestResponse, code: string, secrets: string[]): void {
    expect([res.status, res.body.error], res.text).toEqual([400, code]);
    for (const secret of secrets) {
      expect(res.text).not.toContain(secret);
      const signature = secret.split('.')[2];
      if (signature) expect(res.text).not.toContain(signature);
    }
  }

  async function expectNoSession(browser: TestBrowser): Promise<void> {
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(401);
    expect(browser.jar.get('authnest_rp_session')).toBeUndefined();
  }

  async function expectSignedIn(browser: TestBrowser, done: TestResponse): Promise<void> {
    expect([done.status, done.headers.get('location')], done.text).toEqual([303, '/me']);
    expect((await browser.get(`${rig.appUrl}/me`)).body).toMatchObject({ provider: 'provider', sub: OP_ACCOUNT.id });
  }

  it('answers invalid_state for no state, an unknown state and a state of another browser, without burning the attempt', async () => {
    const browser = rig.browser();
    const { authorize, callback } = await toCallback(rig, browser);
    const tokenRequests = rig.proxy.count('/token');
    const secrets = secretsOf(authorize, callback);
    const withState = (state: string | undefined) => {
      const url = new URL(callback);
      if (state === undefined) url.searchParams.delete('state');
      else url.searchParams.set('state', state);
      return inspected(url);
    };
    expectRefused(await browser.get(withState(undefined)), 'invalid_state', secrets);
    expectRefused(await browser.get(withState(randomBytes(32).toString('base64url'))), 'invalid_state', secrets);
    // Another browser with the real callback: refused, with and without a login of its own started (binding cookie).
    const other = rig.browser();
    expectRefused(await other.get(inspected(callback)), 'invalid_state', secrets);
    expect((await other.get(`${rig.appUrl}/login`)).status).toBe(303);
    expectRefused(await other.get(inspected(callback)), 'invalid_state', secrets);
    await expectNoSession(other);
    // node-oidc-provider was never asked to redeem the code, and the attempt is still there for its own browser.
    expect(rig.proxy.count('/token')).toBe(tokenRequests);
    await expectSignedIn(browser, await browser.get(callback.href));
    expect(rig.proxy.count('/token')).toBe(tokenRequests + 1);
    expectRefused(await browser.get(inspected(callback)), 'invalid_state', secrets); // used up
  });

  /**
   * An ID token of `op` for web-app, alice and `nonce`, through the code flow at `op` driven by hand (the callback is
   * not followed; the code is redeemed here with web-app's secret and PKCE).
   */
  async function idTokenFrom(op: OidcProviderServer, nonce: string): Promise<string> {
    const browser = new TestBrowser({ url: op.url, issuer: op.url });
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${op.url}/auth`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: OP_CLIENTS.web.id,
      redirect_uri: `${rig.appUrl}/callback`,
      scope: 'openid',
      state: 'by-hand',
      nonce,
      max_age: '3600', // auth_time in its ID token: not the same JWT as the login's, even within one second
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const back = await signInAtProvider(browser, op.url, authorize.href);
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const res = await fetch(`${op.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${OP_CLIENTS.web.id}:${OP_CLIENTS.web.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${rig.appUrl}/callback`, code_verifier: verifier }).toString(),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id_token: string }).id_token;
  }

  const issuers: [string, () => OidcProviderServer, boolean][] = [
    ['the provider itself, a second login (control: accepted)', () => rig.op, true],
    ['another issuer signing with the same keys (only iss differs)', () => sameKeys, false],
    ['another issuer signing with its own keys', () => ownKeys, false],
  ];
  it.each(issuers)('takes the ID token in the token response from %s', async (_name, issuer, accepted) => {
    const browser = rig.browser();
    const { authorize, callback } = await toCallback(rig, browser);
    const nonce = authorize.searchParams.get('nonce')!;
    const foreign = await idTokenFrom(issuer(), nonce);
    const real = (await (await fetch(`${rig.proxy.url}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(decodeJwt(foreign)).toMatchObject({ iss: issuer().url, aud: OP_CLIENTS.web.id, sub: OP_ACCOUNT.id, nonce, auth_time: expect.any(Number) });
    expect(real.keys.some((key) => key.kid === decodeProtectedHeader(foreign).kid)).toBe(issuer() !== ownKeys);
    rig.proxy.only = '/token';
    rig.proxy.rewrite = (answer) => ({ ...(answer as Record<string, unknown>), id_token: foreign });
    const done = await browser.get(inspected(callback));
    expect(decodeJwt(upstreamJson(rig.proxy.exchangesFor('/token').at(-1)).id_token as string).auth_time).toBeUndefined();
    if (accepted) return expectSignedIn(browser, done);
    expectRefused(done, 'invalid_id_token', [...secretsOf(authorize, callback), foreign]);
    await expectNoSession(browser);
  });

  it.each(['error', 'reset', 'closed'] as const)('answers unavailable when the token endpoint is down (%s), and recovers', async (mode) => {
    const browser = rig.browser();
    const { authorize, callback } = await toCallback(rig, browser);
    const before = rig.proxy.count('/token');
    if (mode === 'closed') await rig.disconnect();
    else Object.assign(rig.proxy, { only: '/token', mode });
    expectRefused(await browser.get(inspected(callback)), 'unavailable', secretsOf(authorize, callback));
    expect(rig.proxy.count('/token')).toBe(mode === 'closed' ? before : before + 1);
    if (mode !== 'closed') expect(rig.proxy.exchangesFor('/token').at(-1)?.upstream).toBeUndefined(); // the code never reached the provider
    await expectNoSession(browser);
    await rig.reset();
    // The attempt was taken: the same callback is refused before any token request; a new login works.
    expectRefused(await browser.get(inspected(callback)), 'invalid_state', []);
    await expectSignedIn(browser, await signIn(rig, browser));
  });

  it.each([
    ['error', 'coldA'],
    ['closed', 'coldB'],
  ] as const)('answers unavailable at the start of a login when discovery fails (%s), then starts once it is back', async (mode, provider) => {
    const browser = rig.browser();
    const discovery = () => rig.proxy.count('/.well-known/openid-configuration');
    const before = discovery();
    if (mode === 'closed') await rig.disconnect();
    else rig.proxy.mode = mode;
    const refused = await browser.get(`${rig.appUrl}/rig/start/${provider}`);
    expect([refused.status, refused.body.error], refused.text).toEqual([503, 'unavailable']);
    expect(refused.headers.get('location')).toBeNull();
    expect(browser.jar.get('authnest_rp_browser')).toBeUndefined(); // nothing remembered for a login that never left
    expect(discovery()).toBe(mode === 'closed' ? before : before + 1);
    await rig.reset();
    const { callback } = await toCallback(rig, browser, `/rig/start/${provider}`);
    expect(discovery()).toBe(mode === 'closed' ? before + 1 : before + 2);
    const done = await browser.get(callback.href);
    expect([done.status, done.headers.get('location')], done.text).toEqual([303, '/me']);
    expect((await browser.get(`${rig.appUrl}/me`)).body).toMatchObject({ provider, sub: OP_ACCOUNT.id });
    // Its metadata is kept now: a login starts without asking the provider, even while it is down.
    if (mode === 'closed') await rig.disconnect();
    else rig.proxy.mode = mode;
    const requests = rig.proxy.exchanges.length;
    const start = await browser.get(`${rig.appUrl}/rig/start/${provider}`);
    expect(start.status, start.text).toBe(303);
    expect(new URL(start.headers.get('location')!).origin).toBe(rig.proxy.url);
    expect(rig.proxy.exchanges.length).toBe(requests);
  });
});
