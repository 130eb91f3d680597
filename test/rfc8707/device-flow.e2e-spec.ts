/**
 * `resource` in the device authorization grant (RFC 8628 with RFC 8707): the device authorization request names
 * resources like an authorization request (unknown: `invalid_target`, a scope of a resource not named:
 * `invalid_scope`, both as RFC 6749 JSON errors creating nothing); the device code carries them, and the token
 * request picks one (or gets the only one). The refresh token keeps them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../support/authorization-flow.js';
import { postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { approveInBrowser, bootDeviceApp, deviceAuthorization, DEVICE_CODE_GRANT_TYPE, expectResult, poll, startDevice, TestBrowser } from '../rfc8628/support/device-app.js';
import { BILLING, expectError, INTROSPECTOR, introspect, jwtPayload, ORDERS, RESOURCES, SCOPES } from './support/resources.js';

const TV = { clientId: 'tv8707', name: 'TV', grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], scopes: SCOPES, defaultScopes: ['profile'] };

describe.each(testMatrix())('resource indicators in the device flow on %s/%s', (platform, db) => {
  let t: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, { clients: [TV, INTROSPECTOR], options: { scopes: SCOPES, resources: RESOURCES } });
    browser = new TestBrowser(t);
  });
  afterAll(() => t?.close());

  const deviceForm = (pairs: [string, string][]) => new URLSearchParams([['client_id', TV.clientId], ...pairs]).toString();

  it('refuses an unknown resource and a scope of a resource not named, creating no device code', async () => {
    const before = (await tableRows(t.app, 'DeviceCodeEntity')).length;
    const post = (pairs: [string, string][]) => postForm(`${t.url}/oauth/device_authorization`, deviceForm(pairs));
    expectError(await post([['resource', 'https://unknown.example.test']]), 'invalid_target');
    expectError(await post([['resource', ORDERS.uri], ['scope', 'billing:read']]), 'invalid_scope');
    expect((await tableRows(t.app, 'DeviceCodeEntity')).length).toBe(before);
    expect((await deviceAuthorization(t, TV, { resource: ORDERS.uri })).status).toBe(200);
  });

  it('issues a token for one of the resources named, and the other after a refresh', async () => {
    const pairs: [string, string][] = [['resource', ORDERS.uri], ['resource', BILLING.uri], ['scope', 'profile orders:read billing:read']];
    const res = await postForm(`${t.url}/oauth/device_authorization`, deviceForm(pairs));
    expect(res.status, res.text).toBe(200);
    const device = { deviceCode: String(res.body.device_code), userCode: String(res.body.user_code) };
    await expectResult(t, browser, await approveInBrowser(browser, device.userCode), 'approved');

    expectError(await poll(t, TV, device.deviceCode, { resource: 'https://unknown.example.test' }), 'invalid_target');
    const tokens = await poll(t, TV, device.deviceCode, { resource: ORDERS.uri });
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body).toMatchObject({ expires_in: 120, scope: 'orders:read' });
    expect(await introspect(t, String(tokens.body.access_token))).toMatchObject({ active: true, aud: ORDERS.uri, sub: 'user-alice' });

    const form = { grant_type: 'refresh_token', client_id: TV.clientId, refresh_token: String(tokens.body.refresh_token), resource: BILLING.uri };
    const refreshed = await postForm(`${t.url}/oauth/token`, form);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(jwtPayload(String(refreshed.body.access_token))).toMatchObject({ aud: BILLING.uri, scope: 'billing:read' });
  });

  it("gives the device code's only resource when the token request names none", async () => {
    const device = await startDevice(t, TV, { resource: BILLING.uri, scope: 'billing:read' });
    await expectResult(t, browser, await approveInBrowser(browser, device.userCode), 'approved');
    const tokens = await poll(t, TV, device.deviceCode);
    expect(tokens.status, tokens.text).toBe(200);
    expect(jwtPayload(String(tokens.body.access_token))).toMatchObject({ aud: BILLING.uri, scope: 'billing:read' });
  });
});
