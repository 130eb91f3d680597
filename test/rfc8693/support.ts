import { Global, Injectable, Module } from '@nestjs/common';
import { expect } from 'vitest';
import {
  TOKEN_EXCHANGE_GRANT,
  TOKEN_EXCHANGE_POLICY,
  TOKEN_TYPES,
  type AuthModuleOptions,
  type ClientSeed,
  type TokenExchangeOutcome,
  type TokenExchangePolicy,
  type TokenExchangeRequest,
} from '../../src/index.js';
import { INTROSPECTOR, REDIRECT, WEB, type TestClient } from '../grants/grant-helpers.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import type { Database, Platform } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { ApiController, expectNoStore } from '../token-endpoint/helpers.js';

export const GRANT = TOKEN_EXCHANGE_GRANT;
export const ACCESS_TOKEN = TOKEN_TYPES.accessToken;

/** The exchanging service: token exchange and client credentials (its own actor tokens), scopes a and b only. */
export const GATEWAY: TestClient = { id: 'te-gateway', secret: 'te-gateway-secret-0001' };
/** A second exchanging service whose tokens are opaque. */
export const OPAQUE: TestClient = { id: 'te-opaque', secret: 'te-opaque-secret-00001' };
/** A client without the grant. */
export const PLAIN: TestClient = { id: 'te-plain', secret: 'te-plain-secret-000001' };

/** WEB (subject tokens: alice's, every scope) and INTROSPECTOR are those of the grant suites. */
export const CLIENTS: ClientSeed[] = [
  { clientId: WEB.id, clientSecret: WEB.secret, grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'], scopes: ['a', 'b', 'c'], redirectUris: [REDIRECT] },
  { clientId: GATEWAY.id, clientSecret: GATEWAY.secret, grantTypes: [GRANT, 'client_credentials'], scopes: ['a', 'b'] },
  { clientId: OPAQUE.id, clientSecret: OPAQUE.secret, grantTypes: [GRANT, 'client_credentials'], scopes: ['a', 'b', 'c'], accessTokenFormat: 'opaque' },
  { clientId: PLAIN.id, clientSecret: PLAIN.secret, scopes: ['a'] },
  { clientId: INTROSPECTOR.id, clientSecret: INTROSPECTOR.secret, scopes: ['a'], allowIntrospection: true },
];

/**
 * The host's policy in tests: answers with `decide` (set per test; allows everything by default) and remembers every
 * request it saw.
 */
@Injectable()
export class TestExchangePolicy implements TokenExchangePolicy {
  decideWith: (request: TokenExchangeRequest) => TokenExchangeOutcome | Promise<TokenExchangeOutcome> = () => ({});
  readonly seen: TokenExchangeRequest[] = [];

  decide(request: TokenExchangeRequest): TokenExchangeOutcome | Promise<TokenExchangeOutcome> {
    this.seen.push(request);
    return this.decideWith(request);
  }

  /** Back to allowing everything, forgetting what was seen. */
  reset(): void {
    this.decideWith = () => ({});
    this.seen.length = 0;
  }
}

/** Global, so AuthModule sees TOKEN_EXCHANGE_POLICY, as a host app would provide it. */
@Global()
@Module({ providers: [TestExchangePolicy, { provide: TOKEN_EXCHANGE_POLICY, useExisting: TestExchangePolicy }], exports: [TOKEN_EXCHANGE_POLICY] })
export class TestExchangePolicyModule {}

export interface ExchangeApp {
  t: TestApp;
  clock: FakeClock;
  policy: TestExchangePolicy;
}

/** An app with the clients above, alice, the policy double, a hand-moved clock and the guarded `ApiController`. */
export async function bootExchangeApp(platform: Platform, db: Database, options: Partial<AuthModuleOptions> = {}): Promise<ExchangeApp> {
  const clock = new FakeClock();
  const t = await bootTestApp({
    platform,
    db,
    clock,
    imports: [TestAccountsModule, TestExchangePolicyModule],
    controllers: [ApiController],
    options: { scopes: ['a', 'b', 'c'], clients: CLIENTS, accessToken: { ttl: 600 }, ...options },
  });
  t.app.get(InMemoryAccountService).add('alice');
  return { t, clock, policy: t.app.get(TestExchangePolicy) };
}

/** A token exchange request by `client` (Basic authentication); a string form is sent as is after `grant_type`. */
export function exchange(t: TestApp, client: TestClient, form: Record<string, string> | string): Promise<TestResponse> {
  const body = typeof form === 'string' ? `grant_type=${encodeURIComponent(GRANT)}&${form}` : { grant_type: GRANT, ...form };
  return postForm(`${t.url}/oauth/token`, body, { authorization: basic(client.id, client.secret!) });
}

/** The form of an exchange of `subject` (an access token), optionally with an actor access token. */
export function exchangeForm(subject: string, actor?: string, extra: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = { subject_token: subject, subject_token_type: ACCESS_TOKEN, ...extra };
  if (actor) Object.assign(form, { actor_token: actor, actor_token_type: ACCESS_TOKEN });
  return form;
}

/** A client's own access token (client credentials). */
export async function clientToken(t: TestApp, client: TestClient, scope?: string): Promise<string> {
  const res = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) }, { authorization: basic(client.id, client.secret!) });
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}

/** An RFC 8693 section 2.2.1 success: an access token, `issued_token_type`, Bearer, no refresh token, no-store. */
export function expectExchanged(res: TestResponse): { access_token: string; expires_in: number; scope?: string } {
  expect(res.status, res.text).toBe(200);
  expectNoStore(res);
  expect(res.body.issued_token_type).toBe(ACCESS_TOKEN);
  expect(res.body.token_type).toBe('Bearer');
  expect(typeof res.body.access_token).toBe('string');
  expect(typeof res.body.expires_in).toBe('number');
  expect(res.body).not.toHaveProperty('refresh_token');
  return res.body as { access_token: string; expires_in: number; scope?: string };
}
