import { expect } from 'vitest';
import type { ClientSeed } from '../../../src/index.js';
import { authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../../support/authorization-flow.js';
import { MeController } from '../../support/app-helpers.js';
import type { TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { TestAccountsModule } from '../../support/test-accounts.js';
import { bootTestApp, type FakeClock, type TestApp } from '../../support/test-app.js';
import { BILLING, INTROSPECTOR, RESOURCES, SCOPES, tokenRequest } from './resources.js';

type Credentials = { clientId: string; clientSecret: string };
type WebClient = ClientSeed & Credentials & { redirectUri: string };

/** A first-party web client (no consent page) with refresh tokens; its defaults span both resources. */
export const WEB: WebClient = {
  clientId: 'web8707',
  clientSecret: 'web8707-secret-01',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: SCOPES,
  defaultScopes: ['profile', 'orders:read', 'billing:read'],
  redirectUris: ['https://client.test/cb'],
  redirectUri: 'https://client.test/cb',
  firstParty: true,
};
/** The same, limited to the billing API. */
export const LIMITED_WEB: WebClient = { ...WEB, clientId: 'limited-web', clientSecret: 'limited-web-secret', resources: [BILLING.uri] };

/** An app with the browser flow, alice, the suites' resources, the clients above and a guarded `/me`. */
export function bootResourceFlowApp(platform: Platform, db: Database, clock?: FakeClock): Promise<TestApp> {
  const seed = ({ redirectUri: _uri, ...client }: WebClient): ClientSeed => client;
  return bootTestApp({
    platform,
    db,
    clock,
    controllers: [MeController],
    imports: [TestAccountsModule],
    options: { scopes: SCOPES, resources: RESOURCES, clients: [seed(WEB), seed(LIMITED_WEB), INTROSPECTOR] },
  });
}

/** A browser with alice's session (the clients are first-party: later authorization requests answer at once). */
export async function aliceBrowser(t: TestApp): Promise<TestBrowser> {
  const browser = new TestBrowser(t);
  const { challenge } = pkce();
  const done = await authorizeWithLogin(browser, {
    response_type: 'code',
    client_id: WEB.clientId,
    redirect_uri: WEB.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  clientRedirect(done, WEB.redirectUri);
  return browser;
}

/** GET /oauth/authorize with `pairs` (which may repeat `resource`) besides the client, PKCE and state. */
export async function authorize(browser: TestBrowser, client: WebClient, pairs: [string, string][]): Promise<{ res: TestResponse; verifier: string }> {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams([
    ['response_type', 'code'],
    ['client_id', client.clientId],
    ['redirect_uri', client.redirectUri],
    ['state', 'st-8707'],
    ['code_challenge', challenge],
    ['code_challenge_method', 'S256'],
    ...pairs,
  ]);
  return { res: await browser.get(`/oauth/authorize?${query.toString()}`), verifier };
}

/** An authorization code for `pairs` (asserting the redirect with a code). */
export async function authorizationCode(browser: TestBrowser, client: WebClient, pairs: [string, string][]): Promise<{ code: string; verifier: string }> {
  const { res, verifier } = await authorize(browser, client, pairs);
  const params = clientRedirect(res, client.redirectUri);
  expect(params.get('error'), params.toString()).toBeNull();
  return { code: params.get('code')!, verifier };
}

/** Redeems a code at the token endpoint, with extra parameters (e.g. `resource`). */
export function redeem(t: TestApp, client: WebClient, grant: { code: string; verifier: string }, extra: [string, string][] = []): Promise<TestResponse> {
  return tokenRequest(t, client, [
    ['grant_type', 'authorization_code'],
    ['code', grant.code],
    ['redirect_uri', client.redirectUri],
    ['code_verifier', grant.verifier],
    ...extra,
  ]);
}

/** Uses a refresh token, with extra parameters (`resource`, `scope`). */
export function refresh(t: TestApp, client: WebClient, refreshToken: string, extra: [string, string][] = []): Promise<TestResponse> {
  return tokenRequest(t, client, [['grant_type', 'refresh_token'], ['refresh_token', refreshToken], ...extra]);
}
