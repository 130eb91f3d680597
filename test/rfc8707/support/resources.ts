import { expect } from 'vitest';
import type { ClientSeed, ResourceServerOptions } from '../../../src/index.js';
import { tableRows } from '../../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../../support/http.js';
import type { TestApp } from '../../support/test-app.js';

/** Every scope of the RFC 8707 suites: two resources' scopes and scopes that belong to no resource. */
export const SCOPES = ['openid', 'profile', 'a', 'orders:read', 'orders:write', 'billing:read'];

/** An API whose tokens are opaque (introspected) and short-lived. */
export const ORDERS: ResourceServerOptions = { uri: 'https://orders.example.test', scopes: ['orders:read', 'orders:write'], accessTokenFormat: 'opaque', accessTokenTtl: 120 };
/** An API named by a URN, with the server's default format and lifetime. */
export const BILLING: ResourceServerOptions = { uri: 'urn:example:billing', scopes: ['billing:read'] };
export const RESOURCES = [ORDERS, BILLING];

type Credentials = { clientId: string; clientSecret: string };

/** A service client that may use every resource; its default scopes span both resources and `a`. */
export const SVC: ClientSeed & Credentials = {
  clientId: 'svc',
  clientSecret: 'svc-secret-0001',
  scopes: SCOPES,
  defaultScopes: ['a', 'orders:read', 'billing:read'],
};
/** A service client limited to the billing API. */
export const LIMITED: ClientSeed & Credentials = { clientId: 'limited', clientSecret: 'limited-secret-01', scopes: SCOPES, resources: [BILLING.uri] };
/** A resource server's own client, allowed to introspect. */
export const INTROSPECTOR: ClientSeed & Credentials = { clientId: 'introspector', clientSecret: 'introspector-secret', allowIntrospection: true };

/** A token request (Basic authentication); `form` may repeat `resource` as `[name, value]` pairs. */
export function tokenRequest(t: TestApp, client: Credentials, form: Record<string, string> | [string, string][]): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/token`, new URLSearchParams(form).toString(), { authorization: basic(client.clientId, client.clientSecret) });
}

/** What the issuer's introspection endpoint says of a token. */
export async function introspect(t: TestApp, token: string): Promise<Record<string, unknown>> {
  const res = await postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret) });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The (unverified) payload of a JWT. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** An RFC 6749 section 5.2 error with no-store. */
export function expectError(res: TestResponse, error: string, status = 400): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error, res.text).toBe(error);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
}

/** Access token rows stored so far (to show a refused request stored nothing). */
export async function accessTokenRows(t: TestApp): Promise<number> {
  return (await tableRows(t.app, 'AccessTokenEntity')).length;
}
