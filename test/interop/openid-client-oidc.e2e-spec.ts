import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { logInAndApprove, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { ALICE_USERINFO, bootOidcApp, PUBLIC_RP, RP, verifyWithJwks } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';

/**
 * A whole OpenID Connect login driven by openid-client in its `oidc` mode (a relying-party library nobody here
 * wrote): discovery at /.well-known/openid-configuration, PKCE, nonce, ID token validation (iss, aud, exp, iat,
 * nonce, auth_time with max_age, at_hash), UserInfo with the expected subject, refresh with a new ID token, and
 * RP-initiated logout with the ID token as hint.
 */
describe.each(testMatrix())('openid-client drives an OpenID Connect login on %s/%s', (platform, db) => {
  let t: TestApp;
  const toApp: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${t.url}${url.pathname}${url.search}`, init);
  };

  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
  });
  afterAll(() => t?.close());

  async function configFor(seed: ClientSeed): Promise<client.Configuration> {
    const auth = seed.clientSecret ? client.ClientSecretBasic(seed.clientSecret) : client.None();
    const config = await client.discovery(new URL(t.issuer), seed.clientId, undefined, auth, {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: toApp,
    });
    config[client.customFetch] = toApp;
    return config;
  }

  it.each([
    ['confidential', RP],
    ['public', PUBLIC_RP],
  ] as const)('a %s client logs alice in, reads UserInfo, refreshes and logs out', async (_kind, seed) => {
    const config = await configFor(seed);
    const metadata = config.serverMetadata();
    expect(metadata.userinfo_endpoint).toBe(`${t.issuer}/oauth/userinfo`);
    expect(metadata.end_session_endpoint).toBe(`${t.issuer}/oauth/logout`);
    const redirect = seed.redirectUris![0]!;
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirect,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      max_age: '300',
    });
    const browser = new TestBrowser(t);
    const callback = await logInAndApprove(browser, url.href, redirect);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      maxAge: 300,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: t.issuer, sub: 'user-alice', aud: seed.clientId, nonce, amr: ['pwd'] });
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(await verifyWithJwks(t, tokens.id_token!)).toMatchObject({ sub: 'user-alice' });

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toEqual(ALICE_USERINFO);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const refreshedClaims = refreshed.claims()!;
    expect(refreshedClaims).toMatchObject({ sub: claims.sub, aud: seed.clientId, auth_time: claims.auth_time });
    expect(refreshedClaims.nonce).toBeUndefined();

    const logout = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: seed.postLogoutRedirectUris![0]!,
      state: 'bye',
    });
    const res = await browser.get(logout.href);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe(`${seed.postLogoutRedirectUris![0]}?state=bye`);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.fetchUserInfo(config, refreshed.access_token, claims.sub)).rejects.toThrow();
  });
});
