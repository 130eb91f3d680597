import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, type AuthModuleOptions, type ClientSeed, type DpopOptions } from '../../../src/index.js';
import type { Type } from '@nestjs/common';
import { ALICE, BOB, CLIENT_SEEDS, credentials, type GrantApp, type TestClient } from '../../grants/grant-helpers.js';
import { InMemoryAccountService, TestAccountsModule } from '../../support/test-accounts.js';
import { bootTestApp, FakeClock, TEST_ISSUER, type TestApp } from '../../support/test-app.js';
import { ApiController } from '../../token-endpoint/helpers.js';
import { postForm, request, type TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { DpopKey } from './dpop-key.js';

/** The token endpoint's public URL, which proofs name (the issuer is pinned in the options). */
export const TOKEN_HTU = `${TEST_ISSUER}/oauth/token`;
/** The public URL of a guarded route of `ApiController` (`dpop.resourceOrigin` defaults to the issuer's origin). */
export const apiHtu = (path: string) => `${TEST_ISSUER}${path}`;

/** A confidential client that must always send proofs (`dpopBoundAccessTokens`). */
export const BOUND: TestClient = { id: 'bound', secret: 'bound-secret-0000001' };
/** A confidential client_credentials client whose access tokens are opaque. */
export const OPAQUE: TestClient = { id: 'opaque-machine', secret: 'opaque-secret-000001' };
/** A public device (RFC 8628) client with refresh tokens. */
export const TV: TestClient = { id: 'tv' };
/** A confidential client of the JWT bearer grant (RFC 7523), trusting `JWT_ISSUER`. */
export const BROKER: TestClient = { id: 'broker', secret: 'broker-secret-000001' };
export const JWT_ISSUER = 'https://idp.test';

const DPOP_SEEDS: ClientSeed[] = [
  { clientId: BOUND.id, clientSecret: BOUND.secret, scopes: ['a'], dpopBoundAccessTokens: true },
  { clientId: OPAQUE.id, clientSecret: OPAQUE.secret, scopes: ['a'], accessTokenFormat: 'opaque' },
  { clientId: TV.id, grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], scopes: ['a'] },
  { clientId: BROKER.id, clientSecret: BROKER.secret, grantTypes: [JWT_BEARER_GRANT], scopes: ['a'] },
];

/** The grant suites' app (clients, alice and bob, a FakeClock, `ApiController`) and the clients above, with DPoP on. */
export async function bootDpopApp(
  platform: Platform,
  db: Database,
  dpop: DpopOptions | 'off' = {},
  options: Partial<AuthModuleOptions> = {},
  spec: { controllers?: Type[]; database?: TestApp['database']; clock?: FakeClock } = {},
): Promise<GrantApp> {
  // With DPoP off, a client that must use it stops the boot: leave it out.
  const seeds = DPOP_SEEDS.filter((seed) => dpop !== 'off' || !seed.dpopBoundAccessTokens);
  const clock = spec.clock ?? new FakeClock();
  const t = await bootTestApp({
    platform,
    db,
    clock,
    database: spec.database,
    imports: [TestAccountsModule],
    controllers: [ApiController, ...(spec.controllers ?? [])],
    options: { scopes: ['openid', 'a', 'b', 'c'], ...(dpop === 'off' ? {} : { dpop }), clients: [...CLIENT_SEEDS, ...seeds], ...options },
  });
  const accounts = t.app.get(InMemoryAccountService);
  accounts.add(ALICE);
  accounts.add(BOB);
  return { t, clock, accounts };
}

/** A fresh key on the app's clock. */
export function newKey(app: GrantApp, alg = 'ES256'): Promise<DpopKey> {
  return DpopKey.generate(alg, () => app.clock.now());
}

/** POSTs a token request as `client`, with a `DPoP` header when `proof` is given. */
export function tokenPost(app: GrantApp, client: TestClient, form: Record<string, string>, proof?: string): Promise<TestResponse> {
  const auth = credentials(client);
  return postForm(`${app.t.url}/oauth/token`, { ...auth.form, ...form }, { ...auth.headers, ...(proof === undefined ? {} : { dpop: proof }) });
}

/** GETs a route of the app with an Authorization header and, when given, a `DPoP` header. */
export function getWith(app: GrantApp, path: string, authorization: string, proof?: string): Promise<TestResponse> {
  return request(`${app.t.url}${path}`, { headers: { authorization, ...(proof === undefined ? {} : { dpop: proof }) } });
}

/** A DPoP-bound client_credentials token of `MACHINE`-like `client` for `key`, asserting success. */
export async function boundToken(app: GrantApp, client: TestClient, key: DpopKey, scope = 'a'): Promise<string> {
  const res = await tokenPost(app, client, { grant_type: 'client_credentials', scope }, await key.proof('POST', TOKEN_HTU));
  expect(res.status, res.text).toBe(200);
  expect(res.body.token_type).toBe('DPoP');
  return res.body.access_token as string;
}

/** A request that sends each of `headers`' array values as its own header line (fetch would join them). */
export function rawRequest(url: string, method: string, headers: Record<string, string | string[]>, body?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A 401 from a guarded route with a DPoP challenge carrying `error` (RFC 9449 section 7.1). */
export function expectDpopChallenge(res: TestResponse, error: string): void {
  expect(res.status, res.text).toBe(401);
  expect(res.body.error, res.text).toBe(error);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge, challenge).toMatch(new RegExp(`^DPoP error="${error}", error_description="[^"]+", algs="ES256[^"]*"$`));
  expect(res.headers.get('cache-control')).toBe('no-store');
}

/** A 400 from the token endpoint with `error` and no-store (RFC 6749 section 5.2). */
export function expectTokenError(res: TestResponse, error: string): void {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error, res.text).toBe(error);
  expect(typeof res.body.error_description).toBe('string');
  expect(res.headers.get('cache-control')).toBe('no-store');
}
