import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { logInAndApprove, TestBrowser } from '../support/authorization-flow.js';
import { SCOPES } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

const REDIRECT = 'https://rp.test/callback';
const CONFIDENTIAL: ClientSeed = {
  clientId: 'rp-web',
  clientSecret: 'rp-web-secret-0001',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: SCOPES,
  redirectUris: [REDIRECT],
};
const PUBLIC: ClientSeed = { clientId: 'rp-spa', grantTypes: ['authorization_code', 'refresh_token'], scopes: SCOPES, redirectUris: [REDIRECT] };
const RESOURCE: ClientSeed = { clientId: 'rp-api', clientSecret: 'rp-api-secret-0001', grantTypes: [], allowIntrospection: true };

/**
 * The whole authorization code flow driven by openid-client (a relying-party library nobody here wrote):
 * discovery, PKCE S256, login and consent through the builtin pages, code exchange with `iss` and `state`
 * checks, refresh with rotation, introspection and revocation.
 */
describe.each(testMatrix())('openid-client drives the code flow on %s/%s', (platform, db) => {
  let t: TestApp;
  /** openid-client talks to the issuer URL; this sends those requests to the test app's real port. */
  const toApp: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${t.url}${url.pathname}${url.search}`, init);
  };

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      imports: [TestAccountsModule],
      options: { scopes: SCOPES, clients: [CONFIDENTIAL, PUBLIC, RESOURCE] },
    });
  });
  afterAll(() => t?.close());

  async function configFor(seed: ClientSeed): Promise<client.Configuration> {
    const auth = seed.clientSecret ? client.ClientSecretBasic(seed.clientSecret) : client.None();
    const config = await client.discovery(new URL(t.issuer), seed.clientId, undefined, auth, {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
      [client.customFetch]: toApp,
    });
    config[client.customFetch] = toApp;
    return config;
  }

  it.each([
    ['confidential', CONFIDENTIAL],
    ['public', PUBLIC],
  ] as const)('a %s client logs alice in, refreshes, introspects and revokes', async (_kind, seed) => {
    const config = await configFor(seed);
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'profile posts:read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await logInAndApprove(new TestBrowser(t), url.href, REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(t.issuer);

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('profile posts:read');
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).resolves.toBeDefined(); // inside the reuse grace window

    const api = await configFor(RESOURCE);
    const active = await client.tokenIntrospection(api, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: seed.clientId, sub: 'user-alice', scope: 'profile posts:read' });

    await client.tokenRevocation(config, refreshed.refresh_token!);
    expect((await client.tokenIntrospection(api, refreshed.access_token)).active).toBe(false);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a callback whose state was tampered with, before any token request', async () => {
    const config = await configFor(CONFIDENTIAL);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'the-real-state',
    });
    const callback = await logInAndApprove(new TestBrowser(t), url.href, REDIRECT);
    await expect(client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'another-state' })).rejects.toThrow();
  });
});
