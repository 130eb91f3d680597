import { expect } from 'vitest';
import type { AuthResourceModuleOptions, ClientSeed, IntrospectionOptions } from '../../../src/index.js';
import { authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../../support/authorization-flow.js';
import { basic, postForm } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { TestAccountsModule } from '../../support/test-accounts.js';
import type { FakeClock } from '../../support/test-app.js';
import { CLIENTS } from '../../resource/support/resource-app.js';
import type { JsonRewrite, ProxiedExchange } from './counting-proxy.js';
import { API_AUDIENCE, bootIssuer, OTHER_API_CLIENT, type IssuerApp } from './resource-server-app.js';

/** The authorization server's introspection endpoint (RFC 7662), advertised as `introspection_endpoint`. */
export const INTROSPECT_PATH = '/oauth/introspect';

/** Lifetime of the issuer's access tokens in these suites (seconds). */
export const ACCESS_TOKEN_TTL = 600;

type Credentials = { clientId: string; clientSecret: string };

/**
 * The resource server's client at the issuer, allowed to introspect, by Basic or post. The secret needs
 * form-encoding in Basic (RFC 6749 Appendix B), so both sides' encoding is exercised.
 */
export const INTROSPECTOR: Credentials = { clientId: 'orders-api', clientSecret: 'intro secret:+/%é&=' };
/** A client the issuer authenticates but does not allow to introspect (no `allowIntrospection`). */
export const UNLISTED_API: Credentials = { clientId: 'unlisted-api', clientSecret: 'unlisted-api-secret' };
/** A client whose opaque tokens are meant for another API. */
export const OTHER_OPAQUE: Credentials = { clientId: 'rs-other-opaque', clientSecret: 'rs-other-opaque-secret' };
/** A first-party web client of the browser flow (alice signs in), with opaque access tokens and refresh tokens. */
export const WEB = { clientId: 'rs-web', clientSecret: 'rs-web-secret-0001', redirectUri: 'https://web.example.test/cb' };

const SEEDS: ClientSeed[] = [
  OTHER_API_CLIENT,
  { ...INTROSPECTOR, authMethods: ['client_secret_basic', 'client_secret_post'], allowIntrospection: true },
  { ...UNLISTED_API },
  { ...OTHER_OPAQUE, scopes: ['profile'], accessTokenFormat: 'opaque', audience: 'https://other.example.test' },
  {
    clientId: WEB.clientId,
    clientSecret: WEB.clientSecret,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['profile'],
    redirectUris: [WEB.redirectUri],
    accessTokenFormat: 'opaque',
    firstParty: true,
  },
];

/** The real authorization server behind a counting proxy (its issuer), with the clients above and alice. */
export function bootIntrospectionIssuer(platform: Platform, db: Database, clock: FakeClock): Promise<IssuerApp> {
  return bootIssuer(platform, db, {
    clock,
    imports: [TestAccountsModule],
    options: { accessToken: { audience: API_AUDIENCE, ttl: ACCESS_TOKEN_TTL }, clients: SEEDS },
  });
}

/**
 * Resource server options for the issuer `as`, introspecting as `INTROSPECTOR`; the endpoint is discovered from
 * the issuer's metadata unless `introspection.endpoint` is given.
 */
export function introspectingOptions(
  as: IssuerApp,
  introspection: Partial<IntrospectionOptions> = {},
  extra: Partial<AuthResourceModuleOptions> = {},
): AuthResourceModuleOptions {
  return { issuer: as.issuer, audience: API_AUDIENCE, introspection: { ...INTROSPECTOR, ...introspection }, ...extra };
}

/** What the issuer itself says of a token (asked directly, not through the proxy, so nothing is counted). */
export async function introspectAtIssuer(as: IssuerApp, token: string): Promise<Record<string, unknown>> {
  const res = await postForm(`${as.url}${INTROSPECT_PATH}`, { token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret) });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Revokes a token at the real revocation endpoint (RFC 7009) as the client it was issued to. */
export async function revokeAtIssuer(as: IssuerApp, token: string, client: Credentials = CLIENTS.opaque): Promise<void> {
  const res = await postForm(`${as.url}/oauth/revoke`, { token }, { authorization: basic(client.clientId, client.clientSecret) });
  expect(res.status, res.text).toBe(200);
}

/** Alice signs in through the builtin pages for `WEB`; the code is redeemed at the real token endpoint. */
export async function webTokens(as: IssuerApp): Promise<{ accessToken: string; refreshToken: string }> {
  const { verifier, challenge } = pkce();
  const params = {
    response_type: 'code',
    client_id: WEB.clientId,
    redirect_uri: WEB.redirectUri,
    scope: 'profile',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  const code = clientRedirect(await authorizeWithLogin(new TestBrowser(as), params), WEB.redirectUri).get('code')!;
  const form = { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUri, code_verifier: verifier };
  const res = await postForm(`${as.url}/oauth/token`, form, { authorization: basic(WEB.clientId, WEB.clientSecret) });
  expect(res.status, res.text).toBe(200);
  return { accessToken: String(res.body.access_token), refreshToken: String(res.body.refresh_token) };
}

/** The introspection requests the resource servers sent through the proxy so far. */
export function introspections(as: IssuerApp): ProxiedExchange[] {
  return as.proxy.exchangesFor(INTROSPECT_PATH);
}

/** The last introspection exchange, with the issuer's own answer parsed. */
export function lastIntrospection(as: IssuerApp): { exchange: ProxiedExchange; status?: number; answer: Record<string, unknown> } {
  const exchange = introspections(as).at(-1)!;
  expect(exchange, 'no introspection request reached the proxy').toBeDefined();
  const body = exchange.upstream?.body;
  return { exchange, status: exchange.upstream?.status, answer: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
}

/** A proxy rewrite of the issuer's answer: `overrides` merged in, members set to `undefined` removed. */
export function tamper(overrides: Record<string, unknown>): JsonRewrite {
  return (answer) => {
    const merged: Record<string, unknown> = { ...(answer as Record<string, unknown>), ...overrides };
    return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  };
}
