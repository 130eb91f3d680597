import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { AccessTokenFormat, ClientSeed } from '../../../src/index.js';
import { basic, postForm, request, type TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { bootTestApp, type TestApp, type TestAppSpec } from '../../support/test-app.js';

/** Every scope the resource-side test apps know. */
export const SCOPES = ['profile', 'email', 'posts:read', 'posts:write', 'x:read', 'x:readonly', 'admin'];

/** A client whose access tokens are RFC 9068 JWTs, and one whose tokens are opaque (per-client `accessTokenFormat`). */
export const CLIENTS: Record<AccessTokenFormat, ClientSeed & { clientId: string; clientSecret: string }> = {
  jwt: { clientId: 'rs-jwt', clientSecret: 'rs-jwt-secret-123', scopes: SCOPES, accessTokenFormat: 'jwt' },
  opaque: { clientId: 'rs-opaque', clientSecret: 'rs-opaque-secret-123', scopes: SCOPES, accessTokenFormat: 'opaque' },
};

/** The token formats every token-based scenario runs with. */
export const FORMATS: AccessTokenFormat[] = ['jwt', 'opaque'];

/** A resource-side test app: the host's controllers plus AuthModule with the two clients above. */
export function bootResourceApp(platform: Platform, db: Database, spec: Omit<TestAppSpec, 'platform' | 'db'> = {}): Promise<TestApp> {
  const { options, ...rest } = spec;
  return bootTestApp({
    platform,
    db,
    ...rest,
    options: {
      ...options,
      scopes: options?.scopes ?? SCOPES,
      clients: [CLIENTS.jwt, CLIENTS.opaque, ...(options?.clients ?? [])],
    },
  });
}

/** Client credentials at the real token endpoint; `scope` undefined asks for the client's defaults (none). */
export async function issueToken(t: TestApp, format: AccessTokenFormat, scope?: string): Promise<string> {
  return issueTokenFor(t, CLIENTS[format], scope);
}

/** Client credentials for any seeded confidential client. */
export async function issueTokenFor(t: TestApp, client: { clientId: string; clientSecret: string }, scope?: string): Promise<string> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (scope !== undefined) form.scope = scope;
  const res = await postForm(`${t.url}/oauth/token`, form, { authorization: basic(client.clientId, client.clientSecret) });
  expect(res.status, res.text).toBe(200);
  return String(res.body.access_token);
}

/** Tokens by format and scope string, issued once per app (tokens are not used up). */
export class TokenBag {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly app: () => TestApp) {}

  get(format: AccessTokenFormat, scope?: string): Promise<string> {
    const key = `${format}|${scope ?? '<none>'}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = issueToken(this.app(), format, scope);
      this.tokens.set(key, token);
    }
    return token;
  }
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent verbatim as the Authorization header (wins over `token`). */
  authorization?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Calls a route of the test app. */
export function call(t: TestApp, path: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  return request(`${t.url}${path}`, { method: options.method ?? 'GET', headers, body: options.body });
}

/** A GET that sends the Authorization header once per line (fetch would join the lines into one). */
export function getWithAuthorizationLines(url: string, lines: string[]): Promise<{ status: number; text: string; challenge?: string }> {
  const headers: Record<string, string | string[]> = { authorization: lines };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, challenge: res.headers['www-authenticate'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A parsed `WWW-Authenticate` challenge (one challenge: scheme and auth-params). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
  /** Parameter names in the order they were sent. */
  order: string[];
}

/** Parses `Bearer realm="x", error="y"` (quoted-string values with backslash escapes, or tokens). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const order: string[] = [];
  const param = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9!#$%&'*+.^_`|~-]+))\s*(?:,|$)/gy;
  const rest = match[2];
  let position = 0;
  while (position < rest.length) {
    param.lastIndex = position;
    const found = param.exec(rest);
    expect(found, `unparsed WWW-Authenticate: ${header}`).not.toBeNull();
    const name = found![1].toLowerCase();
    params[name] = found![2] !== undefined ? found![2].replace(/\\(.)/g, '$1') : found![3];
    order.push(name);
    position = param.lastIndex;
  }
  return { scheme: match[1], params, order };
}

function challengeOf(res: TestResponse): Challenge {
  const challenge = parseChallenge(res.headers.get('www-authenticate'));
  expect(challenge, `status ${res.status}, no WWW-Authenticate: ${res.text}`).toBeDefined();
  expect(challenge!.scheme.toLowerCase()).toBe('bearer');
  return challenge!;
}

/** RFC 6750 section 3: a request without credentials gets 401 and a bare `Bearer realm` challenge (no error attribute). */
export function expectNoCredentials(res: TestResponse, realm: string): void {
  expect(res.status, res.text).toBe(401);
  const challenge = challengeOf(res);
  expect(challenge.params).toEqual({ realm });
  expect(res.body.error).toBeUndefined();
  expect(res.headers.get('cache-control')).toBe('no-store');
}

/** RFC 6750 section 3.1 `invalid_token`: 401 with the error in the challenge and the body. */
export function expectInvalidToken(res: TestResponse, realm?: string): void {
  expect(res.status, res.text).toBe(401);
  const challenge = challengeOf(res);
  expect(challenge.params.error).toBe('invalid_token');
  if (realm !== undefined) expect(challenge.params.realm).toBe(realm);
  expect(challenge.params.scope).toBeUndefined();
  expect(res.body.error).toBe('invalid_token');
  expect(res.headers.get('cache-control')).toBe('no-store');
}

/** RFC 6750 section 3.1 `invalid_request`: 400 for a malformed Authorization header. */
export function expectInvalidRequest(res: TestResponse, realm?: string): void {
  expect(res.status, res.text).toBe(400);
  const challenge = challengeOf(res);
  expect(challenge.params.error).toBe('invalid_request');
  if (realm !== undefined) expect(challenge.params.realm).toBe(realm);
  expect(res.body.error).toBe('invalid_request');
}

/** RFC 6750 section 3.1 `insufficient_scope`: 403 naming the scope the route needs. */
export function expectInsufficientScope(res: TestResponse, scope: string, realm?: string): void {
  expect(res.status, res.text).toBe(403);
  const challenge = challengeOf(res);
  expect(challenge.params.error).toBe('insufficient_scope');
  expect(challenge.params.scope).toBe(scope);
  if (realm !== undefined) expect(challenge.params.realm).toBe(realm);
  expect(res.body.error).toBe('insufficient_scope');
  expect(res.headers.get('cache-control')).toBe('no-store');
}
