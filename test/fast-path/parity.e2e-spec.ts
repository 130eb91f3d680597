/**
 * `fastPath: true` answers back-channel requests to the token, introspection and revocation endpoints ahead of the
 * platform. Differential test: the same corpus of requests (valid, refused, malformed, oversized, repeated, structured,
 * other content types, other methods) goes to an app without it and to an app with it, on each platform and
 * database; status, JSON body (tokens aside) and the protocol headers must be the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { basic, request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'svc-secret-0123456789';
const CLIENTS: ClientSeed[] = [
  { clientId: 'svc', clientSecret: SECRET, grantTypes: ['client_credentials'], scopes: ['read', 'write'], authMethods: ['client_secret_basic', 'client_secret_post'], allowIntrospection: true },
  { clientId: 'svc-jwt', clientSecret: SECRET, grantTypes: ['client_credentials'], scopes: ['read'], accessTokenFormat: 'jwt' },
  { clientId: 'nosy', clientSecret: SECRET, grantTypes: ['client_credentials'], scopes: ['read'] },
];
const FORM = 'application/x-www-form-urlencoded';
const AUTH = { authorization: basic('svc', SECRET) };

/** One request of the corpus: a path and what to send there. */
interface Probe {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** A body, or a function of a fresh token of each app (for introspection and revocation). */
  body?: string | ((token: string) => string);
  token?: 'opaque' | 'jwt';
}

const huge = `grant_type=client_credentials&pad=${'x'.repeat(2 * 1024 * 1024)}`;

const PROBES: Probe[] = [
  { name: 'client_credentials, Basic', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=client_credentials&scope=read' },
  { name: 'client_credentials, client_secret_post', path: '/oauth/token', headers: { 'content-type': FORM }, body: `grant_type=client_credentials&client_id=svc&client_secret=${SECRET}` },
  { name: 'client_credentials, JWT', path: '/oauth/token', headers: { 'content-type': FORM, authorization: basic('svc-jwt', SECRET) }, body: 'grant_type=client_credentials' },
  { name: 'charset=utf-8', path: '/oauth/token', headers: { 'content-type': `${FORM}; charset=UTF-8`, ...AUTH }, body: 'grant_type=client_credentials' },
  { name: 'a wrong secret', path: '/oauth/token', headers: { 'content-type': FORM, authorization: basic('svc', 'wrong') }, body: 'grant_type=client_credentials' },
  { name: 'an unknown client', path: '/oauth/token', headers: { 'content-type': FORM, authorization: basic('nobody', SECRET) }, body: 'grant_type=client_credentials' },
  { name: 'two client authentications', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: `grant_type=client_credentials&client_id=svc&client_secret=${SECRET}` },
  { name: 'no grant_type', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'scope=read' },
  { name: 'an unknown grant_type', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=magic' },
  { name: 'an unknown scope', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=client_credentials&scope=admin' },
  { name: 'a repeated parameter', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=client_credentials&scope=read&scope=write' },
  { name: 'a structured parameter', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=client_credentials&scope[x]=read' },
  { name: 'an empty body', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: '' },
  { name: 'a body of 2 MiB', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: huge },
  { name: 'broken percent-encoding', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: 'grant_type=client_credentials&scope=%E0%A4%A' },
  { name: 'a parameter of 10,000 characters', path: '/oauth/token', headers: { 'content-type': FORM, ...AUTH }, body: `grant_type=client_credentials&scope=${'r'.repeat(10_000)}` },
  { name: 'a JSON body', path: '/oauth/token', headers: { 'content-type': 'application/json', ...AUTH }, body: '{"grant_type":"client_credentials"}' },
  { name: 'no content type', path: '/oauth/token', headers: AUTH, body: 'grant_type=client_credentials' },
  { name: 'a query string', path: '/oauth/token?grant_type=client_credentials', headers: { 'content-type': FORM, ...AUTH }, body: 'scope=read' },
  { name: 'GET', path: '/oauth/token', method: 'GET', headers: AUTH },
  { name: 'a browser (Origin)', path: '/oauth/token', headers: { 'content-type': FORM, origin: 'https://spa.example', ...AUTH }, body: 'grant_type=client_credentials' },
  { name: 'introspection of an opaque token', path: '/oauth/introspect', headers: { 'content-type': FORM, ...AUTH }, body: (token) => `token=${token}`, token: 'opaque' },
  { name: 'introspection of a JWT', path: '/oauth/introspect', headers: { 'content-type': FORM, ...AUTH }, body: (token) => `token=${token}&token_type_hint=access_token`, token: 'jwt' },
  { name: 'introspection of an unknown token', path: '/oauth/introspect', headers: { 'content-type': FORM, ...AUTH }, body: 'token=unknown' },
  { name: 'introspection without token', path: '/oauth/introspect', headers: { 'content-type': FORM, ...AUTH }, body: '' },
  { name: 'introspection with an unknown hint', path: '/oauth/introspect', headers: { 'content-type': FORM, ...AUTH }, body: 'token=x&token_type_hint=id_token' },
  { name: 'introspection by a client that may not', path: '/oauth/introspect', headers: { 'content-type': FORM, authorization: basic('nosy', SECRET) }, body: 'token=x' },
  { name: 'introspection without client authentication', path: '/oauth/introspect', headers: { 'content-type': FORM }, body: 'token=x' },
  { name: 'revocation of an opaque token', path: '/oauth/revoke', headers: { 'content-type': FORM, ...AUTH }, body: (token) => `token=${token}`, token: 'opaque' },
  { name: 'revocation of an unknown token', path: '/oauth/revoke', headers: { 'content-type': FORM, ...AUTH }, body: 'token=unknown' },
  { name: 'revocation with a wrong secret', path: '/oauth/revoke', headers: { 'content-type': FORM, authorization: basic('svc', 'wrong') }, body: 'token=x' },
];

const HEADERS = ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'allow'];

/** What must be equal: status, protocol headers, and the body with its tokens and times reduced to their kind. */
function comparable(res: TestResponse): Record<string, unknown> {
  const body: Record<string, unknown> = { ...res.body };
  for (const key of ['access_token', 'jti', 'iat', 'exp', 'nbf']) if (key in body) body[key] = typeof body[key];
  return { status: res.status, headers: Object.fromEntries(HEADERS.map((name) => [name, res.headers.get(name)])), body, empty: res.text === '' };
}

describe.each(testMatrix())('fastPath answers as the app does on %s/%s', (platform, db) => {
  let app: TestApp;
  let fast: TestApp;
  beforeAll(async () => {
    const options = { scopes: ['read', 'write'], clients: CLIENTS };
    [app, fast] = await Promise.all([bootTestApp({ platform, db, options }), bootTestApp({ platform, db, options: { ...options, fastPath: true } })]);
  });
  afterAll(async () => {
    await app?.close();
    await fast?.close();
  });

  async function tokenOf(t: TestApp, format: 'opaque' | 'jwt'): Promise<string> {
    const client = format === 'jwt' ? 'svc-jwt' : 'svc';
    const res = await request(`${t.url}/oauth/token`, { method: 'POST', headers: { 'content-type': FORM, authorization: basic(client, SECRET) }, body: 'grant_type=client_credentials' });
    return res.body.access_token as string;
  }

  async function send(t: TestApp, probe: Probe): Promise<TestResponse> {
    const body = typeof probe.body === 'function' ? probe.body(await tokenOf(t, probe.token ?? 'opaque')) : probe.body;
    return request(`${t.url}${probe.path}`, { method: probe.method ?? 'POST', headers: probe.headers, body });
  }

  it.each(PROBES.map((probe) => [probe.name, probe] as const))('%s', async (_, probe) => {
    const [expected, actual] = [await send(app, probe), await send(fast, probe)];
    expect(comparable(actual)).toEqual(comparable(expected));
  });

  it('keeps the connection usable after a refused request', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await send(fast, PROBES.find((probe) => probe.name === 'a wrong secret')!);
      expect(res.status).toBe(401);
    }
    expect((await send(fast, PROBES[0]!)).status).toBe(200);
  });
});
