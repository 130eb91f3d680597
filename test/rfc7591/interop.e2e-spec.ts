import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logInAndApprove, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootRegistrationApp, INITIAL_ACCESS_TOKEN } from './support.js';

const REDIRECT = 'https://rp.test/callback';

/**
 * Dynamic registration driven by libraries nobody here wrote: openid-client's `dynamicClientRegistration` (then its
 * client credentials and code flows with the registered client) and oauth4webapi's registration request and response
 * checks, followed by RFC 7592 management of what they registered.
 */
describe.each(testMatrix())('relying-party libraries register dynamically on %s/%s', (platform, db) => {
  let t: TestApp;
  /** The libraries talk to the issuer URL; this sends those requests to the test app's real port. */
  const toApp: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${t.url}${url.pathname}${url.search}`, init);
  };

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db);
  });
  afterAll(() => t?.close());

  it('openid-client registers with an initial access token, then runs client credentials and the code flow', async () => {
    const config = await client.dynamicClientRegistration(
      new URL(t.issuer),
      {
        client_name: 'openid-client RP',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'profile posts:read',
      },
      undefined,
      { initialAccessToken: INITIAL_ACCESS_TOKEN, execute: [client.allowInsecureRequests], [client.customFetch]: toApp },
    );
    config[client.customFetch] = toApp;
    const metadata = config.clientMetadata();
    expect(metadata.client_id).toEqual(expect.any(String));
    expect(metadata.client_secret).toEqual(expect.any(String));
    expect(config.serverMetadata().registration_endpoint).toBe(`${t.issuer}/oauth/register`);

    const service = await client.clientCredentialsGrant(config, { scope: 'posts:read' });
    expect(service.scope).toBe('posts:read');

    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const allowed = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await logInAndApprove(new TestBrowser(t), allowed.href, REDIRECT);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.scope).toBe('profile');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('openid-client sees the 401 of a registration without the initial access token', async () => {
    const attempt = client.dynamicClientRegistration(new URL(t.issuer), { redirect_uris: [REDIRECT] }, undefined, {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: toApp,
    });
    await expect(attempt).rejects.toMatchObject({ status: 401 });
  });

  it('oauth4webapi registers a public client and checks the response; the client then reads and deletes itself', async () => {
    const issuer = new URL(t.issuer);
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: toApp };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      { redirect_uris: ['http://127.0.0.1/callback'], application_type: 'native', token_endpoint_auth_method: 'none' },
      { ...options, initialAccessToken: INITIAL_ACCESS_TOKEN },
    );
    const registered = await oauth.processDynamicClientRegistrationResponse(response);
    expect(registered).toMatchObject({ token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/callback'] });
    expect(registered.client_secret).toBeUndefined();

    const uri = String(registered.registration_client_uri).replace(t.issuer, t.url);
    const auth = { authorization: `Bearer ${String(registered.registration_access_token)}` };
    expect((await request(uri, { headers: auth })).body.client_id).toBe(registered.client_id);
    expect((await request(uri, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await request(uri, { headers: auth })).status).toBe(401);
  });
});
