import type { HttpLoad, LoadTarget } from './load/load-spec.js';
import type { Platform } from './results.js';

/** The bench client's credentials as a Basic header (the same client id and secret on every server). */
export function basic(clientId: string): string {
  return `Basic ${Buffer.from(`${clientId}:bench-secret-0123456789abcdef`).toString('base64')}`;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** POST client_credentials to `url` as `clientId`, checking the token's format. */
export function tokenLoad(url: string, clientId: string, check: 'token-opaque' | 'token-jwt'): HttpLoad {
  return {
    kind: 'http',
    url,
    method: 'POST',
    headers: { ...FORM, authorization: basic(clientId) },
    body: 'grant_type=client_credentials&scope=api%3Aread',
    check,
  };
}

/** Obtains one client_credentials access token (for the introspection and guarded-route scenarios). */
export async function fetchToken(url: string, clientId: string): Promise<string> {
  const load = tokenLoad(url, clientId, 'token-opaque');
  const response = await fetch(url, { method: 'POST', headers: load.headers, body: load.body });
  const body = (await response.json()) as { access_token?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') throw new Error(`no token from ${url}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The URLs and tokens one platform-and-database configuration is measured with. */
export interface PlanContext {
  platform: Platform;
  /** authnest signing ES256 (every scenario but RS256). */
  authnest: string;
  /** node-oidc-provider by mode. */
  oidc: { opaque: string; es256: string; rs256: string };
  oauth2Server: string;
  opaqueToken: string;
  jwtToken: string;
  oidcOpaqueToken: string;
}

/** One scenario: what authnest is loaded with, what the ratio is against, and who else is shown. */
export interface ScenarioPlan {
  id: string;
  title: string;
  unit: string;
  target: number | null;
  authnest: LoadTarget;
  baseline: { name: string; target: LoadTarget } | null;
  others: { name: string; target: LoadTarget }[];
}

function introspection(url: string, token: string): HttpLoad {
  return {
    kind: 'http',
    url,
    method: 'POST',
    headers: { ...FORM, authorization: basic('bench') },
    body: `token=${encodeURIComponent(token)}`,
    check: 'introspection-active',
  };
}

function route(url: string, token?: string): HttpLoad {
  return { kind: 'http', url, method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {}, check: 'hello' };
}

/** The scenarios run against the ES256 server, in order. */
export function es256Plans(c: PlanContext): ScenarioPlan[] {
  const fastify = c.platform === 'fastify';
  const open = { name: 'unguarded route', target: route(`${c.authnest}/bench/open`) };
  return [
    {
      id: 'token-opaque',
      title: 'client_credentials token, opaque',
      unit: 'req/s',
      target: fastify ? 2 : 1,
      authnest: tokenLoad(`${c.authnest}/oauth/token`, 'bench', 'token-opaque'),
      baseline: { name: 'node-oidc-provider', target: tokenLoad(`${c.oidc.opaque}/token`, 'bench', 'token-opaque') },
      others: [{ name: 'oauth2-server', target: tokenLoad(`${c.oauth2Server}/token`, 'bench', 'token-opaque') }],
    },
    {
      id: 'token-jwt-es256',
      title: 'client_credentials token, JWT ES256',
      unit: 'req/s',
      target: fastify ? 2 : 1,
      authnest: tokenLoad(`${c.authnest}/oauth/token`, 'bench-jwt', 'token-jwt'),
      baseline: { name: 'node-oidc-provider', target: tokenLoad(`${c.oidc.es256}/token`, 'bench', 'token-jwt') },
      others: [],
    },
    {
      id: 'introspection',
      title: 'introspection of an active opaque token',
      unit: 'req/s',
      target: 2,
      authnest: introspection(`${c.authnest}/oauth/introspect`, c.opaqueToken),
      baseline: { name: 'node-oidc-provider', target: introspection(`${c.oidc.opaque}/token/introspection`, c.oidcOpaqueToken) },
      others: [],
    },
    {
      id: 'guarded-jwt',
      title: '@RequireScope route, JWT',
      unit: 'req/s',
      target: fastify ? 0.8 : null,
      authnest: route(`${c.authnest}/bench/guarded`, c.jwtToken),
      baseline: open,
      others: [],
    },
    {
      id: 'guarded-opaque',
      title: '@RequireScope route, opaque token',
      unit: 'req/s',
      target: fastify ? 0.8 : null,
      authnest: route(`${c.authnest}/bench/guarded`, c.opaqueToken),
      baseline: open,
      others: [],
    },
    {
      id: 'refresh-rotation',
      title: 'refresh token rotation',
      unit: 'req/s',
      target: null,
      authnest: { kind: 'refresh', base: c.authnest },
      baseline: null,
      others: [],
    },
    {
      id: 'code-flow',
      title: 'authorization code + PKCE, login to tokens',
      unit: 'logins/s',
      target: null,
      authnest: { kind: 'code-flow', base: c.authnest },
      baseline: null,
      others: [],
    },
  ];
}

/** The scenario run against a second authnest server signing RS256. */
export function rs256Plan(authnestRs256: string, oidcRs256: string): ScenarioPlan {
  return {
    id: 'token-jwt-rs256',
    title: 'client_credentials token, JWT RS256',
    unit: 'req/s',
    target: null,
    authnest: tokenLoad(`${authnestRs256}/oauth/token`, 'bench-jwt', 'token-jwt'),
    baseline: { name: 'node-oidc-provider', target: tokenLoad(`${oidcRs256}/token`, 'bench', 'token-jwt') },
    others: [],
  };
}
