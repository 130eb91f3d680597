import { expect } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { authorizePath, clientRedirect, formOf, tableRows, type TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { OIDC_SCOPES } from '../support/oidc-app.js';
import { TEST_ISSUER, type TestApp } from '../support/test-app.js';

/** The pushed authorization request endpoint's URL as the test server names it (an `aud` of client assertions). */
export const PAR_ENDPOINT = `${TEST_ISSUER}/oauth/par`;
export const REQUEST_URI = /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/;

/** A confidential client (Basic or post). */
export const PAR_WEB: ClientSeed = {
  clientId: 'par-web',
  clientSecret: 'par-web-secret-01',
  authMethods: ['client_secret_basic', 'client_secret_post'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://par-web.test/cb', 'https://par-web.test/other'],
};

/** A public client (`none`). */
export const PAR_SPA: ClientSeed = { clientId: 'par-spa', grantTypes: ['authorization_code'], scopes: OIDC_SCOPES, redirectUris: ['https://par-spa.test/cb'] };

/** A confidential client that must push its requests (RFC 9126 section 6). */
export const PAR_ONLY: ClientSeed = {
  clientId: 'par-only',
  clientSecret: 'par-only-secret-1',
  grantTypes: ['authorization_code'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://par-only.test/cb'],
  requirePushedAuthorizationRequests: true,
};

/** A client without the authorization code grant. */
export const PAR_SERVICE: ClientSeed = {
  clientId: 'par-service',
  clientSecret: 'par-service-secret',
  grantTypes: ['client_credentials'],
  scopes: ['profile'],
  redirectUris: ['https://par-service.test/cb'],
};

/** Authorization request parameters of `client` (redirect URI, S256 challenge, state; no client_id: the push adds it). */
export function pushForm(client: ClientSeed, challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    redirect_uri: client.redirectUris![0]!,
    scope: 'openid profile',
    state: 'st-par',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** POSTs `form` to the PAR endpoint, with Basic credentials for a client with a secret, `client_id` for a public one. */
export function push(t: TestApp, client: ClientSeed, form: Record<string, string>, headers: Record<string, string> = {}): Promise<TestResponse> {
  if (!client.clientSecret) return postForm(`${t.url}/oauth/par`, { client_id: client.clientId, ...form }, headers);
  return postForm(`${t.url}/oauth/par`, form, { authorization: basic(client.clientId, client.clientSecret), ...headers });
}

/** Pushes `form` for `client`, asserting 201, and resolves the request URI. */
export async function pushOk(t: TestApp, client: ClientSeed, form: Record<string, string>): Promise<string> {
  const res = await push(t, client, form);
  expect(res.status, res.text).toBe(201);
  expect(res.body.request_uri).toMatch(REQUEST_URI);
  return res.body.request_uri as string;
}

/** GET /authorize with only `client_id` and `request_uri` (plus `extra`, which must be ignored). */
export function authorizeWith(browser: TestBrowser, client: ClientSeed, requestUri: string, extra: Record<string, string> = {}): Promise<TestResponse> {
  return browser.get(authorizePath({ client_id: client.clientId, request_uri: requestUri, ...extra }));
}

/** An authorization endpoint error page: 400 HTML, no redirect, with `message` in it. */
export function expectErrorPage(res: TestResponse, message: RegExp): void {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.text).toMatch(message);
}

/** How many pushed requests the app stored. */
export async function pushedCount(t: TestApp): Promise<number> {
  return (await tableRows(t.app, 'PushedRequestEntity')).length;
}

/**
 * Goes on from the authorization endpoint's 303 to an interaction: logs alice in and, when asked, approves; resolves
 * the parameters of the redirect back to `redirectUri`.
 */
export async function finishLogin(browser: TestBrowser, started: TestResponse, redirectUri: string): Promise<URLSearchParams> {
  const login = await browser.follow(started);
  expect(login.text).toContain('name="password"');
  const loginForm = formOf(login.text);
  const afterLogin = await browser.post(loginForm.action, { csrf: loginForm.csrf, username: 'alice', password: 'alice-password' });
  if (afterLogin.headers.get('location')?.startsWith(redirectUri)) return clientRedirect(afterLogin, redirectUri);
  const consent = await browser.follow(afterLogin);
  const consentForm = formOf(consent.text);
  return clientRedirect(await browser.post(consentForm.action, { csrf: consentForm.csrf, decision: 'approve' }), redirectUri);
}
