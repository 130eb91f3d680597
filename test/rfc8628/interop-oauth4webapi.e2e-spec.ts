import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { approveInBrowser, bootDeviceApp, KIOSK, TestBrowser, TV } from './support/device-app.js';

/**
 * Interop with oauth4webapi's device flow functions (a strict RFC 8628 client) against the real server: discovery,
 * `deviceAuthorizationRequest` / `processDeviceAuthorizationResponse`, then `deviceCodeGrantRequest` /
 * `processDeviceCodeResponse` through pending, slow_down, approval (ID token validated by the library) and denial,
 * for a public client and for one with ClientSecretBasic.
 */
describe.each(testMatrix())('device flow interop with oauth4webapi on %s/%s', (platform, db) => {
  let t: TestApp;
  let issuer: URL;
  let options: { [oauth.allowInsecureRequests]: true; [oauth.customFetch]: typeof fetch };
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, { clock });
    issuer = new URL(t.issuer);
    // The issuer is http://127.0.0.1 (port 80) while the app listens elsewhere: route the issuer's origin to the app.
    const appHost = new URL(t.url).host;
    options = {
      [oauth.allowInsecureRequests]: true,
      [oauth.customFetch]: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.origin === issuer.origin) url.host = appHost;
        return fetch(url, init);
      },
    };
  });
  afterAll(() => t?.close());

  async function discover(): Promise<oauth.AuthorizationServer> {
    return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
  }

  async function authorizeDevice(as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth, scope: string) {
    const response = await oauth.deviceAuthorizationRequest(as, client, auth, { scope }, options);
    return oauth.processDeviceAuthorizationResponse(as, client, response);
  }

  async function pollOnce(as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth, deviceCode: string) {
    const response = await oauth.deviceCodeGrantRequest(as, client, auth, deviceCode, options);
    return oauth.processDeviceCodeResponse(as, client, response);
  }

  async function pollError(as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth, deviceCode: string): Promise<string> {
    const error = await pollOnce(as, client, auth, deviceCode).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    return (error as oauth.ResponseBodyError).error;
  }

  it('discovers the device authorization endpoint', async () => {
    const as = await discover();
    expect(as.device_authorization_endpoint).toBe(`${t.issuer}/oauth/device_authorization`);
    expect(as.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
  });

  it('runs the whole flow for a public client: pending, slow_down, approval, an ID token the library accepts', async () => {
    const as = await discover();
    const client: oauth.Client = { client_id: TV.clientId };
    const device = await authorizeDevice(as, client, oauth.None(), 'openid profile tv:watch');
    expect(device).toMatchObject({ verification_uri: `${t.issuer}/oauth/device`, expires_in: 600, interval: 5 });
    expect(device.verification_uri_complete).toBe(`${t.issuer}/oauth/device?user_code=${device.user_code}`);
    expect(await pollError(as, client, oauth.None(), device.device_code)).toBe('authorization_pending');
    expect(await pollError(as, client, oauth.None(), device.device_code)).toBe('slow_down');
    clock.advance(device.interval! + 5);
    expect(await pollError(as, client, oauth.None(), device.device_code)).toBe('authorization_pending');

    const browser = new TestBrowser(t);
    await approveInBrowser(browser, device.user_code);
    clock.advance(device.interval! + 5);
    const tokens = await pollOnce(as, client, oauth.None(), device.device_code);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'openid profile tv:watch', expires_in: 3600 });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: t.issuer, aud: TV.clientId, sub: 'user-alice' });
    expect(await pollError(as, client, oauth.None(), device.device_code)).toBe('invalid_grant');

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, options),
    );
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('authenticates a confidential client with ClientSecretBasic, and reports a denial as access_denied', async () => {
    const as = await discover();
    const client: oauth.Client = { client_id: KIOSK.clientId };
    const auth = oauth.ClientSecretBasic(KIOSK.clientSecret!);
    const denied = await authorizeDevice(as, client, auth, 'profile');
    await approveInBrowser(new TestBrowser(t), denied.user_code, { decision: 'deny' });
    expect(await pollError(as, client, auth, denied.device_code)).toBe('access_denied');

    const approved = await authorizeDevice(as, client, auth, 'profile');
    await approveInBrowser(new TestBrowser(t), approved.user_code);
    const tokens = await pollOnce(as, client, auth, approved.device_code);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'profile' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('surfaces expired_token and invalid_client as the library\'s errors', async () => {
    const as = await discover();
    const client: oauth.Client = { client_id: TV.clientId };
    const device = await authorizeDevice(as, client, oauth.None(), 'tv:watch');
    clock.advance(device.expires_in);
    expect(await pollError(as, client, oauth.None(), device.device_code)).toBe('expired_token');
    const wrong = await oauth
      .deviceAuthorizationRequest(as, { client_id: KIOSK.clientId }, oauth.ClientSecretBasic('wrong-secret'), {}, options)
      .then((response) => oauth.processDeviceAuthorizationResponse(as, { client_id: KIOSK.clientId }, response))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  });
});
