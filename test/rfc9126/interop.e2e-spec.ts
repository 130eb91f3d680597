import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logInAndApprove, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { PAR_SPA, PAR_WEB } from './support.js';

/**
 * Pushed authorization requests driven by relying-party libraries nobody here wrote: oauth4webapi's
 * `pushedAuthorizationRequest` / `processPushedAuthorizationResponse` (discovered endpoint, 201 and the URN checked by
 * the library) into a code + PKCE login and token request, for a public and a Basic client; and openid-client's
 * `buildAuthorizationUrlWithPAR` into an OpenID Connect login whose ID token (nonce included) the library validates.
 */
describe.each(testMatrix())('PAR interop with oauth4webapi and openid-client on %s/%s', (platform, db) => {
  let t: TestApp;
  /** The libraries talk to the issuer's URL (http://127.0.0.1): these send those requests to the app's real port. */
  const toApp: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${t.url}${url.pathname}${url.search}`, init);
  };
  const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: toApp } as const;

  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clients: [PAR_WEB, PAR_SPA] });
  });
  afterAll(() => t?.close());

  it.each([
    ['public', PAR_SPA, () => oauth.None()],
    ['confidential', PAR_WEB, () => oauth.ClientSecretBasic(PAR_WEB.clientSecret!)],
  ] as const)('oauth4webapi: a %s client pushes, alice logs in, the code is exchanged', async (_kind, seed, auth) => {
    const issuer = new URL(t.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    expect(as.pushed_authorization_request_endpoint).toBe(`${t.issuer}/oauth/par`);
    const rp: oauth.Client = { client_id: seed.clientId };
    const redirectUri = seed.redirectUris![0]!;
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      rp,
      await oauth.pushedAuthorizationRequest(
        as,
        rp,
        auth(),
        { response_type: 'code', redirect_uri: redirectUri, scope: 'profile', state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' },
        options,
      ),
    );
    expect(pushed.expires_in).toBe(60);
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: seed.clientId, request_uri: pushed.request_uri }).toString();
    const callback = await logInAndApprove(new TestBrowser(t), url.href, redirectUri);
    const params = oauth.validateAuthResponse(as, rp, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, auth(), params, redirectUri, verifier, options));
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'profile' });
  });

  it('openid-client: buildAuthorizationUrlWithPAR into an OpenID Connect login the library validates', async () => {
    const config = await client.discovery(new URL(t.issuer), PAR_WEB.clientId, undefined, client.ClientSecretBasic(PAR_WEB.clientSecret!), {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: toApp,
    });
    config[client.customFetch] = toApp;
    const redirectUri = PAR_WEB.redirectUris![0]!;
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: redirectUri,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const callback = await logInAndApprove(new TestBrowser(t), url.href, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.claims()).toMatchObject({ iss: t.issuer, sub: 'user-alice', aud: PAR_WEB.clientId, nonce });
  });
});
