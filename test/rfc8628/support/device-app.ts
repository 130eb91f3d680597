import { expect } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, type ClientSeed } from '../../../src/index.js';
import { formOf, TestBrowser } from '../../support/authorization-flow.js';
import { bootFlowApp, type FlowAppSpec } from '../../support/flow-app.js';
import { basic, postForm, type TestResponse } from '../../support/http.js';
import { expectPageHeaders } from '../../support/page-headers.js';
import type { Database, Platform } from '../../support/matrix.js';
import type { TestApp } from '../../support/test-app.js';

export { DEVICE_CODE_GRANT_TYPE };

export const DEVICE_SCOPES = ['openid', 'profile', 'email', 'tv:watch', 'offline_access'];

/** A public device client (a TV app) with refresh tokens. */
export const TV: ClientSeed = {
  clientId: 'tv',
  name: 'Living Room TV',
  grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
  scopes: DEVICE_SCOPES,
  defaultScopes: ['tv:watch'],
};

/** A second public device client (its codes are not the TV's). */
export const CONSOLE: ClientSeed = { clientId: 'console', name: 'Game Console', grantTypes: [DEVICE_CODE_GRANT_TYPE], scopes: DEVICE_SCOPES };

/** A confidential device client (a kiosk with a secret), without refresh tokens. */
export const KIOSK: ClientSeed = {
  clientId: 'kiosk',
  clientSecret: 'kiosk-secret-0001',
  name: 'Kiosk',
  authMethods: ['client_secret_basic', 'client_secret_post'],
  grantTypes: [DEVICE_CODE_GRANT_TYPE],
  scopes: ['profile', 'tv:watch'],
};

/** A client without the device grant. */
export const WEBAPP: ClientSeed = {
  clientId: 'webapp',
  grantTypes: ['authorization_code'],
  scopes: DEVICE_SCOPES,
  redirectUris: ['https://web.test/cb'],
};

/** A first-party device client: consent is still asked (the user approves a device, not a redirect). */
export const FIRST_TV: ClientSeed = { ...TV, clientId: 'first-tv', name: 'Our Own TV App', firstParty: true };

export type DeviceAppSpec = FlowAppSpec;

/** An app with the device clients above (or `clients`), the device scopes, and the in-memory AccountService. */
export function bootDeviceApp(platform: Platform, db: Database, spec: DeviceAppSpec = {}): Promise<TestApp> {
  return bootFlowApp(platform, db, { ...spec, clients: spec.clients ?? [TV, CONSOLE, KIOSK, WEBAPP, FIRST_TV], options: { scopes: DEVICE_SCOPES, ...spec.options } });
}

/** Client authentication as form fields or headers: public (`none`) unless a secret is given. */
function credentials(client: ClientSeed, how: 'basic' | 'post' = 'basic'): { form: Record<string, string>; headers: Record<string, string> } {
  if (!client.clientSecret) return { form: { client_id: client.clientId }, headers: {} };
  if (how === 'post') return { form: { client_id: client.clientId, client_secret: client.clientSecret }, headers: {} };
  return { form: {}, headers: { authorization: basic(client.clientId, client.clientSecret) } };
}

/** POST /oauth/device_authorization for a client (authenticated as it registered). */
export function deviceAuthorization(t: TestApp, client: ClientSeed, form: Record<string, string> = {}, how: 'basic' | 'post' = 'basic'): Promise<TestResponse> {
  const auth = credentials(client, how);
  return postForm(`${t.url}/oauth/device_authorization`, { ...auth.form, ...form }, auth.headers);
}

/** What a device keeps of a successful device authorization response. */
export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  verificationUriComplete: string;
  interval: number;
  expiresIn: number;
}

/** A device authorization that must succeed. */
export async function startDevice(t: TestApp, client: ClientSeed = TV, form: Record<string, string> = {}): Promise<DeviceGrant> {
  const res = await deviceAuthorization(t, client, form);
  expect(res.status, res.text).toBe(200);
  return {
    deviceCode: String(res.body.device_code),
    userCode: String(res.body.user_code),
    verificationUriComplete: String(res.body.verification_uri_complete),
    interval: Number(res.body.interval),
    expiresIn: Number(res.body.expires_in),
  };
}

/** One poll of the token endpoint with a device code. */
export function poll(t: TestApp, client: ClientSeed, deviceCode: string, extra: Record<string, string> = {}): Promise<TestResponse> {
  const auth = credentials(client);
  return postForm(`${t.url}/oauth/token`, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, ...auth.form, ...extra }, auth.headers);
}

/** The verification page and its form (action and CSRF token), in a browser. */
export async function codeForm(browser: TestBrowser, query = ''): Promise<{ page: TestResponse; action: string; csrf: string }> {
  const page = await browser.get(`/oauth/device${query}`);
  expect(page.status, page.text).toBe(200);
  return { page, ...formOf(page.text) };
}

/** Enters a user code on the verification page; resolves the POST's response. */
export async function enterCode(browser: TestBrowser, userCode: string, extraHeaders: Record<string, string> = {}): Promise<TestResponse> {
  const form = await codeForm(browser);
  return browser.post(form.action, { csrf: form.csrf, user_code: userCode }, extraHeaders);
}

/**
 * The whole browser side with the builtin pages: the code, the login page (unless the browser has a session), the
 * consent page and its decision; resolves the final response (303 to the result view).
 */
export async function approveInBrowser(
  browser: TestBrowser,
  userCode: string,
  options: { username?: string; password?: string; decision?: 'approve' | 'deny' } = {},
): Promise<TestResponse> {
  const entered = await enterCode(browser, userCode);
  expect(entered.status, entered.text).toBe(303);
  let page = await browser.follow(entered);
  if (page.text.includes('name="password"')) {
    const login = formOf(page.text);
    const username = options.username ?? 'alice';
    const afterLogin = await browser.post(login.action, { csrf: login.csrf, username, password: options.password ?? `${username}-password` });
    page = await browser.follow(afterLogin);
  }
  expect(page.text, page.text).toContain('value="approve"');
  const consent = formOf(page.text);
  return browser.post(consent.action, { csrf: consent.csrf, decision: options.decision ?? 'approve' });
}

/** Asserts a 303 to the verification page's result view and that the view says so. */
export async function expectResult(t: { issuer: string }, browser: TestBrowser, res: TestResponse, result: 'approved' | 'denied'): Promise<void> {
  expect(res.status, res.text).toBe(303);
  expect(res.headers.get('location')).toBe(`${t.issuer}/oauth/device?result=${result}`);
  const view = await browser.follow(res);
  expect(view.status).toBe(200);
  expectPageHeaders(view);
  expect(view.text).toContain(result === 'approved' ? 'Device connected' : 'Access denied');
}

export { TestBrowser };
