import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService } from '../support/test-accounts.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectNoStore, expectOAuthError } from '../token-endpoint/helpers.js';
import { verifyIdToken } from '../oidc/support/id-token-helpers.js';
import { approveInBrowser, bootDeviceApp, CONSOLE, DEVICE_CODE_GRANT_TYPE, KIOSK, poll, startDevice, TestBrowser, TV, WEBAPP } from './support/device-app.js';

/**
 * Polling the token endpoint with a device code (RFC 8628 section 3.4, 3.5; Authlib 4.9 items 92-98, with the RFC's
 * `invalid_grant` where Authlib answers `invalid_request`): pending, slow_down and its growing interval, expired_token,
 * access_denied, invalid_grant for unknown or foreign codes, and one redemption of an approved code, concurrent polls
 * included. Time moves by a FakeClock only.
 */
describe.each(testMatrix())('device code polling on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, { clock });
  });
  afterAll(() => t?.close());

  const interval = async (deviceCode: string) =>
    Number((await tableRows(t.app, 'DeviceCodeEntity')).find((row) => row.device_code_hash === sha256(deviceCode))!.poll_interval);

  it('answers authorization_pending until the user answers (97), in the RFC 6749 error shape', async () => {
    const { deviceCode } = await startDevice(t);
    for (let i = 0; i < 3; i += 1) {
      const res = await poll(t, TV, deviceCode);
      expectOAuthError(res, 400, 'authorization_pending');
      clock.advance(5);
    }
  });

  it('answers slow_down to a poll sooner than the interval and adds 5 seconds for this and every later poll', async () => {
    const { deviceCode, interval: given } = await startDevice(t);
    expect(given).toBe(5);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'authorization_pending');
    clock.advance(2);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'slow_down');
    expect(await interval(deviceCode)).toBe(10);
    clock.advance(5); // the old interval is not enough any more
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'slow_down');
    expect(await interval(deviceCode)).toBe(15);
    clock.advance(15);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'authorization_pending');
    clock.advance(14);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'slow_down');
    clock.advance(20);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'authorization_pending');
    expect(await interval(deviceCode)).toBe(20);
  });

  it('tolerates half a second of network jitter, no more', async () => {
    const { deviceCode } = await startDevice(t);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'authorization_pending');
    clock.advance(4.6);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'authorization_pending');
    clock.advance(4.4);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'slow_down');
  });

  it('answers expired_token after expires_in, pending or approved (95)', async () => {
    const pending = await startDevice(t);
    const approved = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), approved.userCode);
    clock.advance(600);
    expectOAuthError(await poll(t, TV, pending.deviceCode), 400, 'expired_token');
    expectOAuthError(await poll(t, TV, approved.deviceCode), 400, 'expired_token');
  });

  it('answers access_denied after the user denied, on every later poll (96)', async () => {
    const { deviceCode, userCode } = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), userCode, { decision: 'deny' });
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'access_denied');
    clock.advance(5);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'access_denied');
  });

  it('answers invalid_grant for unknown codes and for another client\'s code, which stays usable (93)', async () => {
    const { deviceCode, userCode } = await startDevice(t);
    expectOAuthError(await poll(t, TV, 'no-such-device-code'), 400, 'invalid_grant');
    expectOAuthError(await poll(t, TV, 'x'.repeat(600)), 400, 'invalid_grant');
    expectOAuthError(await poll(t, CONSOLE, deviceCode), 400, 'invalid_grant');
    await approveInBrowser(new TestBrowser(t), userCode);
    expectOAuthError(await poll(t, CONSOLE, deviceCode), 400, 'invalid_grant');
    expect((await poll(t, TV, deviceCode)).status).toBe(200);
  });

  it('requires device_code (92), the client\'s authentication and the device grant (94)', async () => {
    const { deviceCode } = await startDevice(t);
    expectOAuthError(await postForm(`${t.url}/oauth/token`, { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: TV.clientId }), 400, 'invalid_request');
    expectOAuthError(await poll(t, { clientId: 'nobody' }, deviceCode), 401, 'invalid_client');
    expectOAuthError(await poll(t, { ...KIOSK, clientSecret: 'wrong-secret-00' }, deviceCode), 401, 'invalid_client');
    expectOAuthError(await poll(t, WEBAPP, deviceCode), 400, 'unauthorized_client');
  });

  it('issues the tokens of an approved code once: access, refresh and ID token with the granted scopes (98)', async () => {
    const { deviceCode, userCode } = await startDevice(t, TV, { scope: 'openid profile tv:watch' });
    const approvedAt = clock.now();
    await approveInBrowser(new TestBrowser(t), userCode, { username: 'bob' });
    const res = await poll(t, TV, deviceCode);
    expect(res.status, res.text).toBe(200);
    expectNoStore(res);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile tv:watch' });
    expect(res.body.refresh_token).toEqual(expect.any(String));
    const { payload } = await verifyIdToken(t, String(res.body.id_token), TV.clientId, clock.now());
    expect(payload).toMatchObject({ iss: t.issuer, sub: 'user-bob', aud: TV.clientId, auth_time: Math.floor(approvedAt / 1000), amr: ['pwd'] });
    expect(payload).not.toHaveProperty('nonce');
    expect(payload).not.toHaveProperty('sid'); // the device's tokens belong to no browser session
    // The code is used up: a second poll (a replay) gets invalid_grant.
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'invalid_grant');
    // The refresh token works like any other.
    const refreshed = await postForm(`${t.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: String(res.body.refresh_token), client_id: TV.clientId });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.scope).toBe('openid profile tv:watch');
  });

  it('gives a refresh token only to clients with the grant, and an ID token only with openid', async () => {
    const { deviceCode, userCode } = await startDevice(t, KIOSK, { scope: 'profile' });
    await approveInBrowser(new TestBrowser(t), userCode);
    const res = await poll(t, KIOSK, deviceCode);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  });

  it('redeems once under concurrent polls: exactly one 200, the others invalid_grant', async () => {
    const { deviceCode, userCode } = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), userCode);
    const results = await Promise.all(Array.from({ length: 8 }, () => poll(t, TV, deviceCode)));
    expect(results.map((res) => res.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
    for (const res of results.filter((r) => r.status !== 200)) expectOAuthError(res, 400, 'invalid_grant');
    const row = (await tableRows(t.app, 'DeviceCodeEntity')).find((r) => r.device_code_hash === sha256(deviceCode))!;
    expect((await tableRows(t.app, 'AccessTokenEntity')).filter((token) => token.grant_id === row.id)).toHaveLength(1);
  });

  it('refuses the tokens when the account was deactivated after approving', async () => {
    const accounts = t.app.get(InMemoryAccountService);
    accounts.add('user-dave', { username: 'dave', password: 'dave-password' });
    const { deviceCode, userCode } = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), userCode, { username: 'dave' });
    accounts.setActive('user-dave', false);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'invalid_grant');
  });
});
