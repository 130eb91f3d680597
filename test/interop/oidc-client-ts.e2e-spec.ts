import { createHash } from 'node:crypto';
import { ErrorResponse, Version, type OidcClient, type SigninResponse } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { logInAndApprove, TestBrowser } from '../support/authorization-flow.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { ALICE_USERINFO, bootOidcApp, PUBLIC_RP, RP, verifyWithJwks } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { callLines, oidcClientFor, routeIssuerFetch, type IssuerCall } from './support/oidc-client-ts.js';

/**
 * A whole OpenID Connect login driven by oidc-client-ts 3.x (authts, a second relying-party library nobody here wrote;
 * its lower-level `OidcClient`, in Node with an in-memory state store and no shim): discovery at
 * /.well-known/openid-configuration (OIDC Discovery 1.0 section 4), an authorization code request with PKCE S256
 * (RFC 7636), state and nonce (Core 3.1.2.1), the builtin login/consent pages, the code redeemed with
 * client_secret_basic or as a public client (Core 3.1.3, RFC 6749 2.3.1), the library's own checks (state, nonce,
 * UserInfo `sub` equal to the ID token's, Core 5.3.2) and refresh checks (same `sub` and `auth_time`, Core 12.2),
 * silent re-authentication and `login_required` with prompt=none (Core 3.1.2.6), RP-initiated logout with
 * id_token_hint, post_logout_redirect_uri and state (RP-Initiated Logout 1.0 sections 2, 3), and a tampered callback
 * refused by the library before any token request (security checklist: CSRF on the redirect URI, RFC 6749 10.12).
 * oidc-client-ts checks neither the ID token's signature nor iss/aud/exp (it only decodes it), so the test does.
 */
describe.each(testMatrix())(`oidc-client-ts ${Version} drives an OpenID Connect login on %s/%s`, (platform, db) => {
  let t: TestApp;
  let issuer: ReturnType<typeof routeIssuerFetch>;

  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
    issuer = routeIssuerFetch(() => t);
  });
  afterAll(async () => {
    issuer?.restore();
    await t?.close();
  });

  /** The calls the library made while `run` ran. */
  async function callsDuring<T>(run: () => Promise<T>): Promise<{ result: T; calls: IssuerCall[] }> {
    const from = issuer.calls.length;
    const result = await run();
    return { result, calls: issuer.calls.slice(from) };
  }

  /** The token request's client authentication: Basic for a confidential client, client_id in the body for a public one. */
  function expectClientAuth(call: IssuerCall, seed: ClientSeed): void {
    if (seed.clientSecret) {
      expect(call.authorization).toBe(basic(seed.clientId, seed.clientSecret));
      expect(call.body.has('client_secret')).toBe(false);
    } else {
      expect(call.authorization).toBeNull();
      expect(call.body.get('client_id')).toBe(seed.clientId);
    }
  }

  async function signIn(client: OidcClient, seed: ClientSeed, browser: TestBrowser): Promise<{ response: SigninResponse; nonce: string; calls: IssuerCall[] }> {
    const nonce = `n-${Math.random().toString(36).slice(2)}`;
    const request = await client.createSigninRequest({ nonce, state: { returnTo: '/inbox' } });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.issuer}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: seed.clientId,
      redirect_uri: seed.redirectUris![0],
      response_type: 'code',
      scope: 'openid profile email',
      nonce,
      state: request.state.id,
      code_challenge: createHash('sha256').update(request.state.code_verifier!).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const callback = (await logInAndApprove(browser, request.url, seed.redirectUris![0]!)).href;
    const { result: response, calls } = await callsDuring(() => client.processSigninResponse(callback));
    return { response, nonce, calls };
  }

  it.each([
    ['confidential', RP],
    ['public', PUBLIC_RP],
  ] as const)('a %s client logs alice in, loads UserInfo, refreshes, re-authenticates silently and logs out', async (_kind, seed) => {
    const client = oidcClientFor(t, seed);
    const metadata = await client.metadataService.getMetadata();
    expect(metadata).toMatchObject({
      issuer: t.issuer,
      authorization_endpoint: `${t.issuer}/oauth/authorize`,
      token_endpoint: `${t.issuer}/oauth/token`,
      userinfo_endpoint: `${t.issuer}/oauth/userinfo`,
      end_session_endpoint: `${t.issuer}/oauth/logout`,
    });
    expect(callLines(issuer.calls.slice(-1))).toEqual(['GET /.well-known/openid-configuration']);

    const browser = new TestBrowser(t);
    const { response, nonce, calls } = await signIn(client, seed, browser);
    // The library redeemed the code (with the PKCE verifier) and loaded UserInfo; it never fetched the JWKS.
    expect(callLines(calls)).toEqual(['POST /oauth/token', 'GET /oauth/userinfo']);
    expect(calls[0]!.body.get('grant_type')).toBe('authorization_code');
    expect(calls[0]!.body.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
    expectClientAuth(calls[0]!, seed);
    expect(calls[1]!.authorization).toBe(`Bearer ${response.access_token}`);
    expect(response).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email', userState: { returnTo: '/inbox' } });
    expect(response.expires_in).toBeGreaterThan(0);
    expect(response.refresh_token).toEqual(expect.any(String));
    const idToken = await verifyWithJwks(t, response.id_token!);
    expect(idToken).toMatchObject({ iss: t.issuer, sub: 'user-alice', aud: seed.clientId, nonce, sid: expect.any(String) });
    // The profile: the ID token's claims less the protocol ones the library filters out, merged with UserInfo.
    expect(response.profile).toEqual({ ...ALICE_USERINFO, iss: t.issuer, aud: seed.clientId, exp: idToken.exp, iat: idToken.iat, sid: idToken.sid });
    expect(idToken.exp! * 1000).toBeGreaterThan(Date.now());

    const refreshState = { refresh_token: response.refresh_token!, id_token: response.id_token, session_state: null, scope: response.scope, profile: response.profile };
    const { result: refreshed, calls: refreshCalls } = await callsDuring(() => client.useRefreshToken({ state: refreshState }));
    expect(callLines(refreshCalls)).toEqual(['POST /oauth/token', 'GET /oauth/userinfo']);
    expect(refreshCalls[0]!.body.get('grant_type')).toBe('refresh_token');
    expectClientAuth(refreshCalls[0]!, seed);
    expect(refreshed.profile.sub).toBe('user-alice');
    expect(refreshed.id_token).not.toBe(response.id_token);
    expect(await verifyWithJwks(t, refreshed.id_token!)).toMatchObject({ sub: 'user-alice', aud: seed.clientId, auth_time: idToken.auth_time });

    // The browser's session lets a prompt=none request through without any page.
    const silent = await client.createSigninRequest({ nonce: 'n-silent', prompt: 'none' });
    const silentRedirect = await browser.get(silent.url);
    expect(silentRedirect.status, silentRedirect.text).toBe(303);
    const silentResponse = await client.processSigninResponse(silentRedirect.headers.get('location')!);
    expect(silentResponse.profile).toMatchObject({ sub: 'user-alice', sid: idToken.sid });

    const signout = await client.createSignoutRequest({
      id_token_hint: refreshed.id_token,
      post_logout_redirect_uri: seed.postLogoutRedirectUris![0]!,
      state: { after: 'logout' },
    });
    const logoutState = new URL(signout.url).searchParams.get('state')!;
    expect(logoutState).toEqual(expect.any(String));
    const logout = await browser.get(signout.url);
    expect(logout.status, logout.text).toBe(303);
    const landing = logout.headers.get('location')!;
    expect(landing).toBe(`${seed.postLogoutRedirectUris![0]}?state=${encodeURIComponent(logoutState)}`);
    const signedOut = await client.processSignoutResponse(landing);
    expect(signedOut).toMatchObject({ state: logoutState, userState: { after: 'logout' }, error: null });
    await expect(client.processSignoutResponse(landing)).rejects.toThrow('No matching state found in storage');

    // The session is gone: prompt=none now ends in login_required, which the library reports as an error response.
    const again = await client.createSigninRequest({ nonce: 'n-after', prompt: 'none', state: { attempt: 'after-logout' } });
    const noSession = await browser.get(again.url);
    expect(noSession.status, noSession.text).toBe(303);
    const errorRedirect = new URL(noSession.headers.get('location')!);
    expect(`${errorRedirect.origin}${errorRedirect.pathname}`).toBe(seed.redirectUris![0]);
    expect(Object.fromEntries(errorRedirect.searchParams)).toEqual({ error: 'login_required', error_description: expect.any(String), state: again.state.id, iss: t.issuer });
    const denied = await callsDuring(() => client.processSigninResponse(errorRedirect.href).catch((error: unknown) => error));
    expect(denied.result).toBeInstanceOf(ErrorResponse);
    // The library matched the stored state (its `state` is the data stored with it) before reporting the error.
    expect(denied.result).toMatchObject({ error: 'login_required', state: { attempt: 'after-logout' } });
    expect(denied.calls).toEqual([]);
    // The grant of the ended session is revoked.
    await expect(client.useRefreshToken({ state: { ...refreshState, refresh_token: refreshed.refresh_token! } })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['confidential', RP],
    ['public', PUBLIC_RP],
  ] as const)('a %s client refuses a callback whose state was changed, before any token request', async (_kind, seed) => {
    const client = oidcClientFor(t, seed);
    const request = await client.createSigninRequest({ nonce: 'n-tamper' });
    const callback = await logInAndApprove(new TestBrowser(t), request.url, seed.redirectUris![0]!);
    expect(callback.searchParams.get('state')).toBe(request.state.id);

    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${request.state.id}x`);
    const stateless = new URL(callback);
    stateless.searchParams.delete('state');
    const refused = await callsDuring(async () => {
      await expect(client.processSigninResponse(tampered.href)).rejects.toThrow('No matching state found in storage');
      await expect(client.processSigninResponse(stateless.href)).rejects.toThrow('No state in response');
    });
    expect(refused.calls).toEqual([]);

    // Nothing was spent: the genuine callback still completes the login.
    const { result: genuine, calls } = await callsDuring(() => client.processSigninResponse(callback.href));
    expect(callLines(calls)).toEqual(['POST /oauth/token', 'GET /oauth/userinfo']);
    expect(genuine.profile).toMatchObject({ sub: 'user-alice', email: 'alice@example.com' });
  });
});
