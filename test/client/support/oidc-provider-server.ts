import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
// @ts-expect-error oidc-provider ships no type declarations; the little used here is typed below (OidcProvider).
import ProviderClass from 'oidc-provider';
import { expect } from 'vitest';
import type { TestBrowser } from '../../support/authorization-flow.js';
import type { TestResponse } from '../../support/http.js';

/** The part of node-oidc-provider's `Provider` these tests use. */
interface OidcProvider {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
interface KoaContext {
  method: string;
  path: string;
  status: number;
  get(header: string): string;
  oidc?: { client?: { clientId: string } };
}
const Provider = ProviderClass as new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

/** Clients registered at the provider: two for client_credentials, one for the code flow. */
export const OP_CLIENTS = {
  basic: { id: 'svc-basic', secret: 'svc-basic-secret-0123456789' },
  post: { id: 'svc-post', secret: 'svc-post-secret-0123456789' },
  web: { id: 'web-app', secret: 'web-app-secret-0123456789' },
} as const;

/** A user the provider knows: account id (any login name works at devInteractions), and its claims. */
export const OP_ACCOUNT = { id: 'alice', name: 'Alice Liddell', email: 'alice@wonderland.example' };

/** What the provider saw at its token endpoint. */
export interface TokenRequest {
  status: number;
  /** The client that authenticated, if one did. */
  clientId?: string;
  /** Whether it came with `Authorization: Basic`. */
  basic: boolean;
}

/** Optional changes to the provider `startOidcProvider` starts (each one additive: without them it is as described there). */
export interface OidcProviderOptions {
  /**
   * Its issuer, e.g. the URL of a CountingProxy in front of it. Every request is then taken as addressed to the
   * issuer's host (its Host header is replaced), so the absolute URLs it writes (discovery, redirects, the token
   * endpoint as a client assertion's audience) are the issuer's, not the port it listens on.
   * @default its own URL
   */
  issuer?: string;
  /** Members replacing those of the code-flow client's registration (e.g. `grant_types`). */
  webClient?: Record<string, unknown>;
  /** More clients to register (node-oidc-provider client metadata). */
  clients?: Record<string, unknown>[];
  /** Its signing keys (private JWKs with `kid`, `alg`); a second provider can sign with the first one's keys. */
  signingKeys?: JWK[];
  /** Configuration members replacing the defaults here (`ttl` and `features` are merged member by member). */
  configuration?: Record<string, unknown>;
}

export interface OidcProviderServer {
  /** Its issuer: its real URL, `http://127.0.0.1:<port>` (or `options.issuer`). */
  url: string;
  /** Where it listens, `http://127.0.0.1:<port>` (the same as `url` without `options.issuer`). */
  origin: string;
  /** Its private signing keys. */
  signingKeys: JWK[];
  /** Token requests since the start (or `tokenRequests.length = 0`). */
  tokenRequests: TokenRequest[];
  /** Server errors the provider emitted (a test asserts there are none). */
  serverErrors: unknown[];
  close(): Promise<void>;
}

async function signingKey(alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `${alg.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}` };
}

/**
 * Starts node-oidc-provider (9.x) on 127.0.0.1 port 0 with its in-memory adapter (the default one), its builtin
 * login and consent pages (`devInteractions`, any login name and password signs in as that account id), S256 PKCE
 * required for every client, client_credentials, RP-initiated logout, and `findAccount` answering `OP_ACCOUNT`'s
 * claims for the account id that logged in. The code-flow client redirects to `${appUrl}/callback` and back to
 * `${appUrl}/` after logout.
 */
export async function startOidcProvider(appUrl: string, options: OidcProviderOptions = {}): Promise<OidcProviderServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = options.issuer ?? origin;
  const signingKeys = options.signingKeys ?? [await signingKey('RS256'), await signingKey('ES256')];
  const { ttl, features, ...configuration } = options.configuration ?? {};
  const serviceClient = (client: { id: string; secret: string }, method: string) => ({
    client_id: client.id,
    client_secret: client.secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: method,
    scope: 'api:read api:write',
  });
  const provider = new Provider(url, {
    clients: [
      serviceClient(OP_CLIENTS.basic, 'client_secret_basic'),
      serviceClient(OP_CLIENTS.post, 'client_secret_post'),
      {
        client_id: OP_CLIENTS.web.id,
        client_secret: OP_CLIENTS.web.secret,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${appUrl}/callback`],
        post_logout_redirect_uris: [`${appUrl}/`],
        token_endpoint_auth_method: 'client_secret_basic',
        ...options.webClient,
      },
      ...(options.clients ?? []),
    ],
    scopes: ['openid', 'offline_access', 'api:read', 'api:write', 'api:admin'], // api:admin: no client may have it
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, ...(id === OP_ACCOUNT.id ? { name: OP_ACCOUNT.name, email: OP_ACCOUNT.email } : {}) }),
    }),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
      ...(features as Record<string, unknown> | undefined),
    },
    jwks: { keys: signingKeys },
    cookies: { keys: ['oidc-provider-interop-cookie-key-0123456789'] },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      ...(ttl as Record<string, number> | undefined),
    },
    ...configuration,
  });
  const tokenRequests: TokenRequest[] = [];
  const serverErrors: unknown[] = [];
  provider.on('server_error', (_ctx, error) => serverErrors.push(error));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token') {
      tokenRequests.push({ status: ctx.status, clientId: ctx.oidc?.client?.clientId, basic: /^basic /i.test(ctx.get('authorization')) });
    }
  });
  const callback = provider.callback();
  const host = new URL(url).host;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    request.headers.host = host;
    callback(request, response);
  });
  return {
    url,
    origin,
    signingKeys,
    tokenRequests,
    serverErrors,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The action and fields (hidden ones with their values, the others empty) of the first form of a page. */
export function formFields(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  const action = form && /action="([^"]+)"/i.exec(form[0])?.[1];
  if (!form || !action) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const [input] of form[1]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = /name="([^"]+)"/i.exec(input)?.[1];
    if (name) fields[name] = /value="([^"]*)"/i.exec(input)?.[1] ?? '';
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** Follows redirects (302/303) from `response` while they stay at `origin`; resolves the last response. */
export async function followWithin(browser: TestBrowser, origin: string, response: TestResponse): Promise<TestResponse> {
  let current = response;
  for (let hops = 0; [302, 303].includes(current.status); hops += 1) {
    expect(hops, 'too many redirects').toBeLessThan(10);
    const next = new URL(current.headers.get('location')!, origin);
    if (next.origin !== origin) return current;
    current = await browser.get(next.href);
  }
  return current;
}

/**
 * Drives node-oidc-provider's devInteractions from the authorization URL: the login form (`login`, `password`,
 * hidden `prompt=login`), then the consent form (hidden `prompt=consent`) when the grant is not there yet.
 * Resolves the redirect that leaves the provider (to the client's callback).
 */
export async function signInAtProvider(browser: TestBrowser, op: string, authorizationUrl: string, login = OP_ACCOUNT.id): Promise<TestResponse> {
  let page = await followWithin(browser, op, await browser.get(authorizationUrl));
  const seen: string[] = [];
  while (page.status === 200) {
    const { action, fields } = formFields(page.text);
    seen.push(fields.prompt ?? '?');
    expect(seen.length, page.text).toBeLessThan(4);
    const answer = fields.prompt === 'login' ? { ...fields, login, password: 'any-password' } : fields;
    page = await followWithin(browser, op, await browser.post(new URL(action, op).href, answer));
  }
  expect([302, 303], page.text).toContain(page.status);
  return page;
}
