import { expect } from 'vitest';
import type { AuthModuleOptions, ClientSeed, RegistrationOptions } from '../../src/index.js';
import { tableRows } from '../support/authorization-flow.js';
import { SCOPES } from '../support/flow-app.js';
import { request, type TestResponse } from '../support/http.js';
import type { Database, Platform } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type FakeClock, type TestApp } from '../support/test-app.js';
import { MeController } from '../support/app-helpers.js';
import { expectErrorEnvelope } from '../token-endpoint/helpers.js';

export const INITIAL_ACCESS_TOKEN = 'iat-0123456789abcdefghijklmnopqrstuvwxyz';

/** A statically configured confidential client: never reachable through the registration endpoints. */
export const STATIC_CLIENT: ClientSeed = { clientId: 'static-web', clientSecret: 'static-secret-0001', scopes: SCOPES, grantTypes: ['client_credentials'] };
/** A resource server's client, to introspect what registered clients were given. */
export const INTROSPECTOR: ClientSeed = { clientId: 'rs', clientSecret: 'rs-secret-00000001', grantTypes: [], allowIntrospection: true };

export interface RegistrationAppSpec {
  registration?: RegistrationOptions;
  options?: Partial<AuthModuleOptions>;
  clock?: FakeClock;
}

/** An app with the browser flow, registration as given (open, client_credentials allowed, every scope by default). */
export function bootRegistrationApp(platform: Platform, db: Database, spec: RegistrationAppSpec = {}): Promise<TestApp> {
  return bootTestApp({
    platform,
    db,
    clock: spec.clock,
    controllers: [MeController],
    imports: [TestAccountsModule],
    options: {
      scopes: SCOPES,
      accessToken: { format: 'opaque' },
      clients: [STATIC_CLIENT, INTROSPECTOR],
      // The many requests of a test file come from one address: the rate limit is tested on its own.
      registration: {
        rateLimit: { max: 100_000, window: 900 },
        ...(spec.registration ?? {
          mode: 'initial-access-token',
          initialAccessTokens: [INITIAL_ACCESS_TOKEN],
          grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
        }),
      },
      ...spec.options,
    },
  });
}

/** POSTs JSON (or a raw body) to the registration endpoint, with the initial access token unless told otherwise. */
export function register(t: TestApp, metadata: unknown, headers: Record<string, string> = { authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` }): Promise<TestResponse> {
  return request(`${t.url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });
}

/** A registered client, as the registration response described it. */
export interface Registered {
  clientId: string;
  secret?: string;
  token: string;
  /** The configuration URL on the test app's real port. */
  uri: string;
  body: Record<string, unknown>;
}

/** Registers a client, asserting 201. */
export async function registerOk(t: TestApp, metadata: Record<string, unknown>): Promise<Registered> {
  const res = await register(t, metadata);
  expect(res.status, res.text).toBe(201);
  const body = res.body;
  const uri = String(body.registration_client_uri).replace(t.issuer, t.url);
  return { clientId: String(body.client_id), secret: body.client_secret as string | undefined, token: String(body.registration_access_token), uri, body };
}

/** A call to a client configuration URL (RFC 7592) with a registration access token (or none). */
export function manage(uri: string, method: 'GET' | 'PUT' | 'DELETE', token: string | undefined, body?: unknown): Promise<TestResponse> {
  return request(uri, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A registration error: status, RFC 7591 section 3.2.2 code, the no-store envelope, nothing leaked. */
export function expectRegistrationError(res: TestResponse, status: number, error: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error, res.text).toBe(error);
  expectErrorEnvelope(res);
}

/** 401 for a missing token (RFC 6750 section 3.1: a bare challenge, no error code) or a wrong one (`invalid_token`). */
export function expectBearer401(res: TestResponse, kind: 'missing' | 'invalid'): void {
  expect(res.status, res.text).toBe(401);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="/);
  if (kind === 'missing') {
    expect(challenge).not.toContain('error=');
    expect(res.body.error).toBeUndefined();
  } else {
    expect(challenge).toContain('error="invalid_token"');
    expect(res.body.error).toBe('invalid_token');
  }
}

/** How many clients are stored. */
export async function clientCount(t: TestApp): Promise<number> {
  return (await tableRows(t.app, 'ClientEntity')).length;
}
