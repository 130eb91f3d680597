import { Controller, Get } from '@nestjs/common';
import { expect } from 'vitest';
import { CurrentToken, RequireScope, type AccessTokenInfo } from '../../src/index.js';
import { postForm, request, type TestResponse } from '../support/http.js';
import type { TestApp } from '../support/test-app.js';
import type { DbInspector } from './db-inspector.js';

/** The form of a plain client_credentials request. */
export const CLIENT_CREDENTIALS = { grant_type: 'client_credentials' } as const;

/** RFC 6749 section 5.2: `error_description` characters. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/** What must never appear in an error response: stack frames, source paths, SQL, driver names. */
const LEAKS = [
  /\bat .+\(.+:\d+:\d+\)/,
  /\.(?:ts|js|mjs):\d+/,
  /node_modules|\/work\/|\/tmp\//,
  /\b(?:SELECT|INSERT|UPDATE|DELETE)\b.*\b(?:FROM|INTO|SET)\b/i,
  /QueryFailedError|SQLITE_|sqlite|postgres|relation "|authnest_/i,
  /"(?:stack|statusCode|message)"/,
];

/** A guarded API in the test app: what the resource side saw of the token. */
@Controller('api')
export class ApiController {
  @Get('any')
  @RequireScope()
  any(@CurrentToken() token: AccessTokenInfo): Record<string, unknown> {
    return { sub: token.sub, clientId: token.clientId, scopes: token.scopes, format: token.format, aud: token.aud };
  }

  @Get('a')
  @RequireScope('a')
  a(@CurrentToken('clientId') clientId: string): Record<string, unknown> {
    return { ok: 'a', clientId };
  }

  @Get('b')
  @RequireScope('b')
  b(): Record<string, unknown> {
    return { ok: 'b' };
  }
}

/** POSTs a form to the token endpoint. */
export function tokenRequest(t: TestApp, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/token`, form, headers);
}

/** GETs a guarded route of `ApiController` with a bearer token. */
export function callApi(t: TestApp, path: string, accessToken: string): Promise<TestResponse> {
  return request(`${t.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
}

/** The headers RFC 6749 section 5.1/5.2 requires on every token endpoint response. */
export function expectNoStore(res: TestResponse): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('pragma')).toBe('no-cache');
}

/** An RFC 6749 section 5.2 error envelope that leaks nothing. */
export function expectErrorEnvelope(res: TestResponse): void {
  expectNoStore(res);
  expect(Object.keys(res.body).every((key) => ['error', 'error_description', 'error_uri'].includes(key)), res.text).toBe(true);
  expect(typeof res.body.error).toBe('string');
  if (res.body.error_description !== undefined) expect(res.body.error_description).toMatch(DESCRIPTION_CHARSET);
  for (const leak of LEAKS) expect(res.text, `response leaks ${leak}`).not.toMatch(leak);
}

/** Asserts status, error code and envelope of a token endpoint error. */
export function expectOAuthError(res: TestResponse, status: number, error: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error, res.text).toBe(error);
  expectErrorEnvelope(res);
}

/** 401 `invalid_client` with the `WWW-Authenticate: Basic` challenge RFC 6749 section 5.2 requires after Basic. */
export function expectBasicChallenge(res: TestResponse, issuer: string): void {
  expectOAuthError(res, 401, 'invalid_client');
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Basic /);
  expect(challenge).toContain(`realm="${issuer}"`);
  expect(challenge).toContain('error="invalid_client"');
}

/** A successful RFC 6749 section 5.1 response of the client credentials grant (no refresh token, section 4.4.3). */
export function expectTokenResponse(res: TestResponse): { access_token: string; expires_in: number; scope?: string } {
  expect(res.status, res.text).toBe(200);
  expectNoStore(res);
  expect(res.body.token_type).toBe('Bearer');
  expect(typeof res.body.access_token).toBe('string');
  expect(typeof res.body.expires_in).toBe('number');
  expect(res.body).not.toHaveProperty('refresh_token');
  return res.body as { access_token: string; expires_in: number; scope?: string };
}

/** Runs a request that must be refused, and checks it stored no access token. */
export async function refusedWithoutSideEffects(db: DbInspector, send: () => Promise<TestResponse>): Promise<TestResponse> {
  const before = await db.count('authnest_access_tokens');
  const res = await send();
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  expect(await db.count('authnest_access_tokens')).toBe(before);
  return res;
}
