import { InMemoryWebStorage, OidcClient, WebStorageStateStore } from 'oidc-client-ts';
import type { ClientSeed } from '../../../src/index.js';
import type { TestApp } from '../../support/test-app.js';

/** One request oidc-client-ts sent to the issuer, as it left the library (the issuer's URL, before mapping). */
export interface IssuerCall {
  method: string;
  path: string;
  authorization: string | null;
  body: URLSearchParams;
}

/**
 * oidc-client-ts calls the global `fetch` with the issuer's URLs (http://127.0.0.1, port 80). While installed, this
 * sends those to the test app and records them in `calls`; any other URL (the TestBrowser's) goes through untouched.
 * `restore()` puts the original `fetch` back.
 */
export function routeIssuerFetch(t: () => TestApp): { calls: IssuerCall[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: IssuerCall[] = [];
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== new URL(t().issuer).origin) return original(input, init);
    const headers = new Headers(init?.headers);
    calls.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      authorization: headers.get('authorization'),
      body: new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : typeof init?.body === 'string' ? init.body : ''),
    });
    return original(`${t().url}${url.pathname}${url.search}`, init);
  };
  return {
    calls,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

/**
 * The lower-level OidcClient of oidc-client-ts for a client seed, discovering the issuer's metadata, with PKCE (its
 * default), scope `openid profile email`, UserInfo loaded after each token response and state kept in memory.
 * A confidential client authenticates with client_secret_basic, a public one sends its client_id in the body.
 */
export function oidcClientFor(t: TestApp, seed: ClientSeed): OidcClient {
  return new OidcClient({
    authority: t.issuer,
    client_id: seed.clientId,
    client_secret: seed.clientSecret,
    client_authentication: seed.clientSecret ? 'client_secret_basic' : 'client_secret_post',
    redirect_uri: seed.redirectUris![0]!,
    post_logout_redirect_uri: seed.postLogoutRedirectUris?.[0],
    scope: 'openid profile email',
    loadUserInfo: true,
    stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
}

/** The calls as `METHOD /path`, for asserting which requests the library made. */
export function callLines(calls: IssuerCall[]): string[] {
  return calls.map((call) => `${call.method} ${call.path}`);
}
