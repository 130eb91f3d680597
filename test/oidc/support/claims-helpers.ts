import type { INestApplication } from '@nestjs/common';
import { decodeJwt, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { ClientService, type ClaimsRequestDetails, type ClientSeed } from '../../../src/index.js';
import { authorizePath, clientRedirect, formOf, pkce, type TestBrowser } from '../../support/authorization-flow.js';
import { postForm, request, type TestResponse } from '../../support/http.js';
import { OIDC_SCOPES, oidcRequest, redeemCode } from '../../support/oidc-app.js';
import { ALICE_CLAIMS, InMemoryAccountService } from '../../support/test-accounts.js';
import type { TestApp } from '../../support/test-app.js';
import { expectErrorEnvelope } from '../../token-endpoint/helpers.js';

/** The claims of each standard scope that alice has (OpenID Connect Core section 5.4; she has no `picture` etc.). */
export const ALICE_GROUPS = {
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
} as const;

export type ClaimGroup = keyof typeof ALICE_GROUPS;

/** Every scope that releases user claims, space-separated with `openid`. */
export const ALL_CLAIM_SCOPES = 'openid profile email address phone';

/** Exactly what UserInfo should answer for alice with these scope groups: `sub` and the groups' claims. */
export function aliceAnswer(sub: string, ...groups: ClaimGroup[]): Record<string, unknown> {
  const answer: Record<string, unknown> = { sub };
  for (const name of groups.flatMap((group) => ALICE_GROUPS[group])) answer[name] = ALICE_CLAIMS[name];
  return answer;
}

/** Every user-claim name (none of them may appear in a default ID token). */
export const USER_CLAIM_NAMES: readonly string[] = Object.values(ALICE_GROUPS).flat();

/** A confidential RP whose access tokens are opaque. */
export const OPAQUE_RP: ClientSeed = {
  clientId: 'opaque-rp',
  clientSecret: 'opaque-secret-0001',
  name: 'Opaque RP',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: OIDC_SCOPES,
  redirectUris: ['https://opaque.test/cb'],
  accessTokenFormat: 'opaque',
};

/** A machine client allowed the `openid` scope (the client_credentials grant drops it). */
export const SERVICE: ClientSeed = {
  clientId: 'service',
  clientSecret: 'service-secret-001',
  grantTypes: ['client_credentials'],
  scopes: OIDC_SCOPES,
};

export function accountsOf(t: TestApp): InMemoryAccountService {
  return t.app.get(InMemoryAccountService);
}

export function clientsOf(app: INestApplication): ClientService {
  return app.get(ClientService);
}

/** The `claimsFor` calls made while `action` ran. */
export async function claimsCallsDuring(t: TestApp, action: () => Promise<unknown>): Promise<ClaimsRequestDetails[]> {
  const calls = accountsOf(t).claimsRequests;
  const before = calls.length;
  await action();
  return calls.slice(before);
}

/** POST /oauth/userinfo with a form body (and optional headers). */
export function userinfoPost(t: TestApp, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/userinfo`, form, headers);
}

/** GET /oauth/userinfo with arbitrary headers and query. */
export function userinfoGet(t: TestApp, headers: Record<string, string> = {}, query = ''): Promise<TestResponse> {
  return request(`${t.url}/oauth/userinfo${query}`, { headers });
}

/** A successful UserInfo response (Core 5.3.2): 200 JSON, not cacheable. */
export function expectUserInfo(res: TestResponse): Record<string, unknown> {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('pragma')).toBe('no-cache');
  return res.body;
}

/** Nothing of alice's claims in an error: not in the body, not in the challenge. */
export function expectNoClaimLeak(res: TestResponse): void {
  expect(res.status, res.text).toBeLessThan(500);
  const everything = `${res.text} ${res.headers.get('www-authenticate') ?? ''}`;
  for (const value of ['Alice Example', 'alice@example.com', '1 Main St', '+1 555 0100', 'never released', 'user-alice']) {
    expect(everything, `leaks ${value}`).not.toContain(value);
  }
}

/** 401 with the challenge RFC 6750 section 3.1 asks for when no token was sent: the realm only, no error. */
export function expectBareChallenge(t: TestApp, res: TestResponse): void {
  expect(res.status, res.text).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${t.issuer}"`);
  expect(res.body.error, res.text).toBeUndefined();
  expectNoClaimLeak(res);
}

/** An RFC 6750 section 3.1 error: status, JSON envelope, and a Bearer challenge with the realm and the same error. */
export function expectBearerError(t: TestApp, res: TestResponse, status: number, error: string, challenge: Record<string, string> = {}): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error, res.text).toBe(error);
  expectErrorEnvelope(res);
  const header = res.headers.get('www-authenticate') ?? '';
  expect(header.startsWith(`Bearer realm="${t.issuer}", `), header).toBe(true);
  expect(header).toContain(`error="${error}"`);
  for (const [name, value] of Object.entries(challenge)) expect(header).toContain(`${name}="${value}"`);
  expectNoClaimLeak(res);
}

/** An authorization request for `client` in a browser that has a session: no page, straight to the client. */
export async function silentTokens(
  t: TestApp,
  browser: TestBrowser,
  client: ClientSeed,
  extra: Record<string, string> = {},
): Promise<{ tokens: Record<string, unknown>; claims: JWTPayload }> {
  const { verifier, challenge } = pkce();
  const res = await browser.get(authorizePath(oidcRequest(client, challenge, extra)));
  const code = clientRedirect(res, client.redirectUris![0]!).get('code');
  expect(code, res.headers.get('location') ?? '').toBeTruthy();
  const redeemed = await redeemCode(t, client, code!, verifier);
  expect(redeemed.status, redeemed.text).toBe(200);
  return { tokens: redeemed.body, claims: decodeJwt(redeemed.body.id_token as string) };
}

/** GET /authorize, the login page, then the login: resolves the consent page (asserting that it is one). */
export async function loginUntilConsent(browser: TestBrowser, params: Record<string, string>, username = 'alice'): Promise<TestResponse> {
  const page = await browser.follow(await browser.get(authorizePath(params)));
  const login = formOf(page.text);
  const afterLogin = await browser.post(login.action, { csrf: login.csrf, username, password: `${username}-password` });
  expect(afterLogin.headers.get('location'), 'consent was expected').toContain('/oauth/interaction/');
  const consent = await browser.follow(afterLogin);
  expect(consent.status, consent.text).toBe(200);
  expect(consent.text).toContain('value="approve"');
  return consent;
}

/** The `<code>` items of the consent page's lists, in order (scopes first, then the claims asked for). */
export function consentItems(html: string): string[] {
  return [...html.matchAll(/<li><code>([^<]*)<\/code><\/li>/g)].map((match) => match[1]!);
}

/** The `claims` request parameter (Core 5.5) as sent. */
export function claimsParam(value: unknown): string {
  return JSON.stringify(value);
}
