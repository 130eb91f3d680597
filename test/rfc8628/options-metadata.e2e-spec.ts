import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/index.js';
import { postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { approveInBrowser, bootDeviceApp, DEVICE_CODE_GRANT_TYPE, DEVICE_SCOPES, poll, startDevice, TestBrowser, TV } from './support/device-app.js';

/**
 * Metadata (RFC 8628 section 4, RFC 8414) lists the device authorization endpoint and the grant, in both documents;
 * `deviceFlow` options change what the endpoint answers; bad options and a device client without an AccountService
 * stop the boot, naming the option path.
 */
describe.each(testMatrix())('device flow metadata and options on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, {
      options: { deviceFlow: { codeTtl: 900, interval: 10, userCodeLength: 12, verificationUri: 'https://tv.example.com/activate' } },
    });
  });
  afterAll(() => t?.close());

  it.each(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'])('%s lists the endpoint and the grant', async (path) => {
    const { body } = await request(`${t.url}${path}`);
    expect(body.device_authorization_endpoint).toBe(`${t.issuer}/oauth/device_authorization`);
    expect(body.grant_types_supported).toContain(DEVICE_CODE_GRANT_TYPE);
    expect(body.token_endpoint_auth_methods_supported).toContain('none');
  });

  it('serves the advertised endpoint with RFC 6749 errors', async () => {
    const { body } = await request(`${t.url}/.well-known/oauth-authorization-server`);
    const endpoint = `${t.url}${String(body.device_authorization_endpoint).slice(t.issuer.length)}`;
    expectOAuthError(await postForm(endpoint, {}), 401, 'invalid_client');
  });

  it('answers with the configured lifetime, interval, code length and verification URI', async () => {
    const res = await postForm(`${t.url}/oauth/device_authorization`, { client_id: TV.clientId });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 900, interval: 10, verification_uri: 'https://tv.example.com/activate' });
    expect(res.body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(res.body.verification_uri_complete).toBe(`https://tv.example.com/activate?user_code=${String(res.body.user_code)}`);
  });

  it('takes a 12-character code on the page, and polls against the longer interval', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    expect((await poll(t, TV, deviceCode)).body.error).toBe('authorization_pending');
    expect((await poll(t, TV, deviceCode)).body.error).toBe('slow_down');
    await approveInBrowser(new TestBrowser(t), userCode);
    expect((await poll(t, TV, deviceCode)).status).toBe(200);
  });

  it('refuses bad deviceFlow options at boot, naming each path', async () => {
    const failure = await bootDeviceApp(platform, db, {
      options: { deviceFlow: { interval: 0, codeTtl: 10, userCodeLength: 4, verificationUri: 'ftp://x', userCodeRateLimit: { perBrowser: { max: 0, window: 1 } }, typo: 1 } as never },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect([...(failure as AuthConfigError).problems].sort()).toEqual(
      [
        'deviceFlow.codeTtl: codeTtl must not be less than 60',
        'deviceFlow.interval: interval must not be less than 1',
        'deviceFlow.typo: property typo should not exist',
        'deviceFlow.userCodeLength: userCodeLength must not be less than 8',
        'deviceFlow.userCodeRateLimit.perBrowser.max: max must not be less than 1',
      ].sort(),
    );
    const uri = await bootDeviceApp(platform, db, { options: { deviceFlow: { verificationUri: 'ftp://x' } } }).catch((error: unknown) => error);
    expect((uri as AuthConfigError).problems).toEqual(['deviceFlow.verificationUri: must be an https URL (http only on a loopback host) without query or fragment']);
  });

  it('refuses a device client without an AccountService at boot', async () => {
    const failure = await bootTestApp({ platform, db, options: { scopes: DEVICE_SCOPES, clients: [TV] } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect((failure as AuthConfigError).problems).toEqual([
      `clients[0].grantTypes: '${DEVICE_CODE_GRANT_TYPE}' needs an AccountService: provide one under ACCOUNT_SERVICE in a module AuthModule can see`,
    ]);
  });
});
