import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { authorizeWithLogin, clientRedirect, pkce, TestBrowser } from './authorization-flow.js';
import { basic, postForm, request, type TestResponse } from './http.js';
import type { Database, Platform } from './matrix.js';
import { bootFlowApp, codeRequest, type FlowAppSpec } from './flow-app.js';
import { ALICE_CLAIMS } from './test-accounts.js';
import type { TestApp } from './test-app.js';

/** Every scope of the OpenID test apps. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'posts:read'];

/** What UserInfo answers for alice with `openid profile email`. */
export const ALICE_USERINFO: Readonly<Record<string, unknown>> = {
  sub: 'user-alice',
  ...Object.fromEntries(
    ['name', 'given_name', 'family_name', 'preferred_username', 'locale', 'updated_at', 'email', 'email_verified'].map((name) => [name, ALICE_CLAIMS[name]]),
  ),
};

/** A confidential relying party (code flow, refresh tokens, logout redirect). */
export const RP: ClientSeed = {
  clientId: 'rp',
  clientSecret: 'rp-secret-000001',
  name: 'Relying Party',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://rp.test/cb'],
  postLogoutRedirectUris: ['https://rp.test/logged-out'],
};

/** A public relying party (PKCE, no secret). */
export const PUBLIC_RP: ClientSeed = {
  clientId: 'public-rp',
  name: 'Public RP',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://public.test/cb'],
  postLogoutRedirectUris: ['https://public.test/bye'],
};

/** A confidential RP with pairwise subject identifiers. */
export const PAIRWISE_RP: ClientSeed = {
  clientId: 'pairwise-rp',
  clientSecret: 'pairwise-secret-01',
  name: 'Pairwise RP',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://pairwise.test/cb'],
  subjectType: 'pairwise',
};

/** What an OpenID Provider test app may change: the same as a browser-flow app's. */
export type OidcAppSpec = FlowAppSpec;

/** An OpenID Provider test app: the OIDC scopes, the clients above (or `clients`), alice and bob with claims. */
export function bootOidcApp(platform: Platform, db: Database, spec: OidcAppSpec = {}): Promise<TestApp> {
  return bootFlowApp(platform, db, { ...spec, clients: spec.clients ?? [RP, PUBLIC_RP, PAIRWISE_RP], options: { scopes: OIDC_SCOPES, ...spec.options } });
}

/** Authorization request parameters of an OpenID request for a client, with a fresh S256 challenge and nonce. */
export function oidcRequest(client: ClientSeed, challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return codeRequest(client, challenge, { scope: 'openid profile email', state: 'st-oidc', nonce: `n-${Math.random().toString(36).slice(2)}`, ...extra });
}

/** The token request that redeems a code (client authentication by Basic, or client_id for public clients). */
export function redeemCode(t: TestApp, client: ClientSeed, code: string, verifier: string): Promise<TestResponse> {
  const form = { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris![0]!, code_verifier: verifier };
  if (!client.clientSecret) return postForm(`${t.url}/oauth/token`, { ...form, client_id: client.clientId });
  return postForm(`${t.url}/oauth/token`, form, { authorization: basic(client.clientId, client.clientSecret) });
}

/** A refresh token request. */
export function refreshTokens(t: TestApp, client: ClientSeed, refreshToken: string, extra: Record<string, string> = {}): Promise<TestResponse> {
  const form = { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra };
  if (!client.clientSecret) return postForm(`${t.url}/oauth/token`, { ...form, client_id: client.clientId });
  return postForm(`${t.url}/oauth/token`, form, { authorization: basic(client.clientId, client.clientSecret) });
}

/** What a whole OpenID login gives the client. */
export interface OidcLogin {
  browser: TestBrowser;
  params: Record<string, string>;
  tokens: Record<string, unknown>;
  idToken: string;
  claims: JWTPayload;
}

/**
 * Logs `username` in through the builtin pages (consenting when asked) with an OpenID request for `client`, redeems
 * the code and resolves the token response and the decoded ID token. `browser` carries a session already, if given.
 */
export async function oidcLogin(
  t: TestApp,
  client: ClientSeed,
  options: { extra?: Record<string, string>; username?: string; browser?: TestBrowser } = {},
): Promise<OidcLogin> {
  const browser = options.browser ?? new TestBrowser(t);
  const { verifier, challenge } = pkce();
  const params = oidcRequest(client, challenge, options.extra);
  const username = options.username ?? 'alice';
  const done = await authorizeWithLogin(browser, params, { username, password: `${username}-password` });
  const code = clientRedirect(done, client.redirectUris![0]!).get('code')!;
  const res = await redeemCode(t, client, code, verifier);
  expect(res.status, res.text).toBe(200);
  const idToken = res.body.id_token as string;
  return { browser, params, tokens: res.body, idToken, claims: idToken ? decodeJwt(idToken) : {} };
}

/** Verifies a JWT against the app's published JWKS (signature only), resolving its payload. */
export async function verifyWithJwks(t: TestApp, jwt: string): Promise<JWTPayload> {
  const jwks = (await request(`${t.url}/oauth/jwks`)).body as { keys: [] };
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: t.issuer });
  return payload;
}

/** GET /oauth/userinfo with a bearer token. */
export function userinfo(t: TestApp, accessToken: string): Promise<TestResponse> {
  return request(`${t.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
}
