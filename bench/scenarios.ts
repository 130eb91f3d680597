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

/**
 * Tokens each server's introspection scenario goes round: as many as resource servers would ask about at once, far
 * fewer than node-oidc-provider's in-memory store keeps (its last 1,000).
 */
export const INTROSPECTED_TOKENS = 200;

/** `count` client_credentials access tokens, fetched 10 at a time. */
export async function fetchTokens(url: string, clientId: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    tokens.push(...(await Promise.all(Array.from({ length: Math.min(10, count - tokens.length) }, () => fetchToken(url, clientId)))));
  }
  return tokens;
}

/** The URLs and tokens one platform-and-database configuration is measured with. */
export interface PlanContext {
  platform: Platform;
  /** authnest signing ES256 (every scenario but RS256), with `fastPath: true`. */
  authnest: string;
  /** The same server without `fastPath` (back-channel requests through the platform and Nest's pipeline). */
  authnestPipeline: string;
  /** node-oidc-provider by mode. */
  oidc: { opaque: string; es256: string; rs256: string };
  oauth2Server: string;
  opaqueToken: string;
  jwtToken: string;
  /** `INTROSPECTED_TOKENS` opaque tokens of each server, introspected in turn. */
  introspected: { authnest: string[]; pipeline: string[]; oidc: string[] };
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

/** Introspection of every token of `tokens` in turn (see `HttpLoad.bodies`). */
function introspection(url: string, tokens: readonly string[]): HttpLoad {
  return {
    kind: 'http',
    url,
    method: 'POST',
    headers: { ...FORM, authorization: basic('bench') },
    bodies: tokens.map((token) => `token=${encodeURIComponent(token)}`),
    check: 'introspection-active',
  };
}

function route(url: string, token?: string): HttpLoad {
  return { kind: 'http', url, method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {}, check: 'hello' };
}

/** How the report names authnest without `fastPath`. */
export const PIPELINE = 'authnest, fastPath off';

/** The scenarios run against the ES256 server, in order. */
export function es256Plans(c: PlanContext): ScenarioPlan[] {
  const fastify = c.platform === 'fastify';
  const open = { name: 'unguarded route', target: route(`${c.authnest}/bench/open`) };
  const pipeline = (target: LoadTarget) => ({ name: PIPELINE, target });
  return [
    {
      id: 'token-opaque',
      title: 'client_credentials token, opaque',
      unit: 'req/s',
      target: fastify ? 2 : 1,
      authnest: tokenLoad(`${c.authnest}/oauth/token`, 'bench', 'token-opaque'),
      baseline: { name: 'node-oidc-provider', target: tokenLoad(`${c.oidc.opaque}/token`, 'bench', 'token-opaque') },
      others: [
        pipeline(tokenLoad(`${c.authnestPipeline}/oauth/token`, 'bench', 'token-opaque')),
        { name: 'oauth2-server', target: tokenLoad(`${c.oauth2Server}/token`, 'bench', 'token-opaque') },
      ],
    },
    {
      id: 'token-jwt-es256',
      title: 'client_credentials token, JWT ES256',
      unit: 'req/s',
      target: fastify ? 2 : 1,
      authnest: tokenLoad(`${c.authnest}/oauth/token`, 'bench-jwt', 'token-jwt'),
      baseline: { name: 'node-oidc-provider', target: tokenLoad(`${c.oidc.es256}/token`, 'bench', 'token-jwt') },
      others: [pipeline(tokenLoad(`${c.authnestPipeline}/oauth/token`, 'bench-jwt', 'token-jwt'))],
    },
    {
      id: 'introspection',
      title: 'introspection of an active opaque token',
      unit: 'req/s',
      target: 2,
      authnest: introspection(`${c.authnest}/oauth/introspect`, c.introspected.authnest),
      baseline: { name: 'node-oidc-provider', target: introspection(`${c.oidc.opaque}/token/introspection`, c.introspected.oidc) },
      others: [pipeline(introspection(`${c.authnestPipeline}/oauth/introspect`, c.introspected.pipeline))],
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
