import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { AuthorizationCodeService, type AuthorizationCodeGrant } from '../../src/server/rfc6749/codes/authorization-code.service.js';
import { s256CodeChallenge } from '../../src/server/rfc7636/pkce.js';
import type { AuthModuleOptions, ClientSeed } from '../../src/index.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import type { Database, Platform } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { ApiController, expectNoStore } from '../token-endpoint/helpers.js';

/** A client as the tests present it. */
export interface TestClient {
  id: string;
  secret?: string;
}

const USER_GRANTS = ['authorization_code', 'refresh_token'];
export const REDIRECT = 'https://client.test/cb';
export const OTHER_REDIRECT = 'https://client.test/other';

/** Confidential clients (`client_secret_basic`), with and without refresh tokens. */
export const WEB: TestClient = { id: 'web1', secret: 'web1-secret-00000001' };
export const WEB2: TestClient = { id: 'web2', secret: 'web2-secret-00000002' };
export const POSTER: TestClient = { id: 'poster', secret: 'poster-secret-000003' };
export const NO_REFRESH: TestClient = { id: 'no-refresh', secret: 'no-refresh-secret-04' };
/** Public clients (`none`). */
export const SPA: TestClient = { id: 'spa' };
export const SPA2: TestClient = { id: 'spa2' };
/** A confidential client that may not use authorization_code. */
export const MACHINE: TestClient = { id: 'machine', secret: 'machine-secret-00005' };
/** The resource server's client, allowed to introspect. */
export const INTROSPECTOR: TestClient = { id: 'rs-introspector', secret: 'rs-introspector-secret' };

export const ALICE = 'alice';
export const BOB = 'bob';

export const CLIENT_SEEDS: ClientSeed[] = [
  { clientId: WEB.id, clientSecret: WEB.secret, grantTypes: USER_GRANTS, scopes: ['a', 'b', 'c'], redirectUris: [REDIRECT, OTHER_REDIRECT] },
  { clientId: WEB2.id, clientSecret: WEB2.secret, grantTypes: USER_GRANTS, scopes: ['a', 'b', 'c'], redirectUris: ['https://client2.test/cb'] },
  {
    clientId: POSTER.id, clientSecret: POSTER.secret, authMethods: ['client_secret_post'], grantTypes: USER_GRANTS, scopes: ['a'],
    redirectUris: [REDIRECT],
  },
  { clientId: NO_REFRESH.id, clientSecret: NO_REFRESH.secret, grantTypes: ['authorization_code'], scopes: ['a'], redirectUris: [REDIRECT] },
  { clientId: SPA.id, grantTypes: USER_GRANTS, scopes: ['a', 'b'], redirectUris: ['https://spa.test/cb'] },
  { clientId: SPA2.id, grantTypes: USER_GRANTS, scopes: ['a', 'b'], redirectUris: ['https://spa.test/cb'] },
  { clientId: MACHINE.id, clientSecret: MACHINE.secret, scopes: ['a'] },
  { clientId: INTROSPECTOR.id, clientSecret: INTROSPECTOR.secret, scopes: ['a'], allowIntrospection: true },
];

/** A test app with user-grant clients, alice and bob, a hand-moved clock and the guarded `ApiController`. */
export interface GrantApp {
  t: TestApp;
  clock: FakeClock;
  accounts: InMemoryAccountService;
}

export async function bootGrantApp(platform: Platform, db: Database, options: Partial<AuthModuleOptions> = {}): Promise<GrantApp> {
  const clock = new FakeClock();
  const t = await bootTestApp({
    platform,
    db,
    clock,
    imports: [TestAccountsModule],
    controllers: [ApiController],
    options: { scopes: ['a', 'b', 'c'], clients: CLIENT_SEEDS, ...options },
  });
  const accounts = t.app.get(InMemoryAccountService);
  accounts.add(ALICE);
  accounts.add(BOB);
  return { t, clock, accounts };
}

/** The redirect URI `issueCode` binds and `redeem` repeats for a client. */
export function redirectOf(client: TestClient): string {
  if (client === SPA || client === SPA2) return 'https://spa.test/cb';
  return client === WEB2 ? 'https://client2.test/cb' : REDIRECT;
}

/** A fresh RFC 7636 verifier (43 characters). */
export function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** An issued code and the verifier of its S256 challenge (if any). */
export interface IssuedCode {
  code: string;
  verifier: string;
}

/**
 * Issues a code through AuthorizationCodeService, as the authorization endpoint would: for `client`, alice,
 * scopes `a b`, the registered redirect sent in the request, with an S256 challenge unless overridden.
 */
export async function issueCode(t: TestApp, client: TestClient, overrides: Partial<AuthorizationCodeGrant> = {}): Promise<IssuedCode> {
  const verifier = newVerifier();
  const code = await t.app.get(AuthorizationCodeService).issue({
    clientId: client.id,
    accountId: ALICE,
    redirectUri: redirectOf(client),
    redirectUriSent: true,
    scopes: ['a', 'b'],
    codeChallenge: s256CodeChallenge(verifier),
    codeChallengeMethod: 'S256',
    authTime: Date.now(),
    ...overrides,
  });
  return { code, verifier };
}

/** How a client authenticates: Basic for confidential clients (post for POSTER), `client_id` for public ones. */
export function credentials(client: TestClient): { form: Record<string, string>; headers: Record<string, string> } {
  if (!client.secret) return { form: { client_id: client.id }, headers: {} };
  if (client === POSTER) return { form: { client_id: client.id, client_secret: client.secret }, headers: {} };
  return { form: {}, headers: { authorization: basic(client.id, client.secret) } };
}

/** POSTs a form to one of the app's endpoints as `client` (no client authentication when `client` is null). */
export function post(t: TestApp, path: string, client: TestClient | null, form: Record<string, string>): Promise<TestResponse> {
  const auth = client ? credentials(client) : { form: {}, headers: {} };
  return postForm(`${t.url}${path}`, { ...auth.form, ...form }, auth.headers);
}

/** Redeems a code at the token endpoint with the redirect URI of `issueCode` and the verifier. */
export function redeem(t: TestApp, client: TestClient, issued: IssuedCode, extra: Record<string, string> = {}): Promise<TestResponse> {
  return post(t, '/oauth/token', client, {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: redirectOf(client),
    code_verifier: issued.verifier,
    ...extra,
  });
}

export function refresh(t: TestApp, client: TestClient, refreshToken: string, extra: Record<string, string> = {}): Promise<TestResponse> {
  return post(t, '/oauth/token', client, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

export function revoke(t: TestApp, client: TestClient | null, token: string, extra: Record<string, string> = {}): Promise<TestResponse> {
  return post(t, '/oauth/revoke', client, { token, ...extra });
}

export function introspect(t: TestApp, token: string, extra: Record<string, string> = {}, client: TestClient | null = INTROSPECTOR): Promise<TestResponse> {
  return post(t, '/oauth/introspect', client, { token, ...extra });
}

/** A successful user-grant token response. */
export interface UserTokens {
  access_token: string;
  refresh_token?: string;
  scope?: string;
  expires_in: number;
}

/** Asserts an RFC 6749 section 5.1 success with no-store, and returns the tokens. */
export function expectTokens(res: TestResponse, { refreshToken }: { refreshToken: boolean }): UserTokens {
  expect(res.status, res.text).toBe(200);
  expectNoStore(res);
  expect(res.body.token_type).toBe('Bearer');
  expect(typeof res.body.access_token).toBe('string');
  expect(typeof res.body.expires_in).toBe('number');
  if (refreshToken) expect(typeof res.body.refresh_token, res.text).toBe('string');
  else expect(res.body, res.text).not.toHaveProperty('refresh_token');
  return res.body as unknown as UserTokens;
}

/** Redeems a fresh code of `client` for alice and returns the tokens. */
export async function codeTokens(t: TestApp, client: TestClient, overrides: Partial<AuthorizationCodeGrant> = {}): Promise<UserTokens> {
  const res = await redeem(t, client, await issueCode(t, client, overrides));
  return expectTokens(res, { refreshToken: client !== NO_REFRESH });
}

/** Asserts introspection calls a token exactly `{"active":false}`. */
export async function expectInactive(t: TestApp, token: string): Promise<void> {
  const res = await introspect(t, token);
  expect(res.status, res.text).toBe(200);
  expect(res.text).toBe('{"active":false}');
}

/** Asserts introspection calls a token active. */
export async function expectActive(t: TestApp, token: string): Promise<Record<string, unknown>> {
  const res = await introspect(t, token);
  expect(res.status, res.text).toBe(200);
  expect(res.body.active, res.text).toBe(true);
  return res.body;
}
