import { Controller, Get, HttpException, Param, Query, Req, Res, type INestApplication, type Type } from '@nestjs/common';
import { expect } from 'vitest';
import { OAuthClientError, OAuthLogin, PageResponder, type BrowserRequest, type OAuthProviderOptions } from '../../../src/index.js';
import { CountingProxy, type ProxiedExchange } from '../../resource-server/support/counting-proxy.js';
import { TestBrowser } from '../../support/authorization-flow.js';
import type { TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { FakeClock, freshDatabase, TEST_SECRET } from '../../support/test-app.js';
import { bootLoginApp, freePort } from './login-app.js';
import { OP_CLIENTS, signInAtProvider, startOidcProvider, type OidcProviderOptions, type OidcProviderServer } from './oidc-provider-server.js';

/** The whole `OAuthClientError` as a host would log it: tests check that none of it names a token, secret or key. */
function errorBody(error: OAuthClientError): Record<string, unknown> {
  return { error: error.code, provider: error.provider, description: error.description, message: error.message };
}

/**
 * Routes of the test host besides LoginController's (`/login`, `/callback`, `/me`, `/logout`): `/rig/start/:provider`,
 * a login through any provider (with `prompt`, back to `/me`) that answers a failure to start as 503 with the error's
 * code, and `/rig/callback`, a callback that answers the whole error.
 */
@Controller('rig')
export class OidcRigController {
  constructor(
    private readonly login: OAuthLogin,
    private readonly responder: PageResponder,
  ) {}

  @Get('start/:provider')
  async start(@Param('provider') provider: string, @Req() request: BrowserRequest, @Res() response: unknown, @Query('prompt') prompt?: string): Promise<void> {
    try {
      this.responder.send(response, await this.login.start(provider, request, { returnTo: '/me', prompt }));
    } catch (error) {
      if (!(error instanceof OAuthClientError)) throw error;
      throw new HttpException(errorBody(error), 503);
    }
  }

  @Get('callback')
  async callback(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    try {
      this.responder.send(response, (await this.login.finish(request)).response);
    } catch (error) {
      if (!(error instanceof OAuthClientError)) throw error;
      throw new HttpException(errorBody(error), 400);
    }
  }
}

export interface OidcRigSpec {
  /** The client app's providers, given node-oidc-provider's issuer (the proxy's URL) and the app's URL. */
  providers: (issuer: string, appUrl: string) => Record<string, OAuthProviderOptions>;
  /** Changes to node-oidc-provider (its issuer is always the proxy's URL), or a function of the app's URL giving them. */
  op?: Omit<OidcProviderOptions, 'issuer'> | ((appUrl: string) => Omit<OidcProviderOptions, 'issuer'>);
  /** More controllers of the client app. */
  controllers?: Type[];
}

/**
 * node-oidc-provider 9 behind a CountingProxy whose URL is its issuer (so the proxy sees, breaks or rewrites every
 * request of the client and the browser), and a client app (`OAuthClientModule`, LoginController, OidcRigController)
 * on a FakeClock and its own store (SQLite file, or a schema of TEST_DATABASE_URL).
 */
export interface OidcRig {
  proxy: CountingProxy;
  op: OidcProviderServer;
  app: INestApplication;
  appUrl: string;
  clock: FakeClock;
  /** A new browser (its own cookie jar). */
  browser(): TestBrowser;
  /** Closes the proxy's port: the provider cannot be reached at all (connection refused) until `reset()`. */
  disconnect(): Promise<void>;
  /** Back to an honest, reachable provider. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function bootOidcRig(platform: Platform, db: Database, spec: OidcRigSpec): Promise<OidcRig> {
  const proxy = await CountingProxy.start();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const op = await startOidcProvider(appUrl, { ...(typeof spec.op === 'function' ? spec.op(appUrl) : spec.op), issuer: proxy.url });
  proxy.target = op.origin;
  const clock = new FakeClock();
  const store = freshDatabase(db);
  const app = await bootLoginApp(
    platform,
    port,
    { providers: spec.providers(proxy.url, appUrl), database: store.database, encryptionSecret: TEST_SECRET },
    clock,
    [OidcRigController, ...(spec.controllers ?? [])],
  );
  let stopped = false;
  return {
    proxy,
    op,
    app,
    appUrl,
    clock,
    browser: () => new TestBrowser({ url: proxy.url, issuer: proxy.url }),
    disconnect: async () => {
      if (!stopped) await proxy.stop();
      stopped = true;
    },
    reset: async () => {
      proxy.reset();
      if (stopped) await proxy.restart();
      stopped = false;
    },
    close: async () => {
      await app.close();
      await store.drop();
      await op.close();
      if (!stopped) await proxy.stop();
    },
  };
}

/** The code-flow client's registration for `appUrl` with the refresh_token grant (for `OidcRigSpec.op.webClient`). */
export const WEB_WITH_REFRESH = { grant_types: ['authorization_code', 'refresh_token'] };

/** The provider options of the code-flow client (`client_secret_basic`), for `OidcRigSpec.providers`. */
export function webProvider(issuer: string, appUrl: string, scopes?: string[]): OAuthProviderOptions {
  return { issuer, clientId: OP_CLIENTS.web.id, clientSecret: OP_CLIENTS.web.secret, login: { redirectUri: `${appUrl}/callback`, scopes } };
}

/**
 * From the app's `path` (default `/login?returnTo=/me`) through node-oidc-provider's pages (login as alice, consent when asked) to
 * the app's callback, which is not followed: resolves the authorization URL and the callback URL.
 */
export async function toCallback(rig: OidcRig, browser: TestBrowser, path = '/login?returnTo=%2Fme'): Promise<{ authorize: URL; callback: URL }> {
  const start = await browser.get(`${rig.appUrl}${path}`);
  expect(start.status, start.text).toBe(303);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(rig.proxy.url);
  const back = await signInAtProvider(browser, rig.proxy.url, authorize.href);
  const callback = new URL(back.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${rig.appUrl}/callback`);
  return { authorize, callback };
}

/** The callback URL with its path replaced by OidcRigController's `/rig/callback` (same query). */
export function inspected(callback: URL): string {
  return `${callback.origin}/rig/callback${callback.search}`;
}

/** A whole login through `path`: the callback's answer (303 to `/me` when it worked). */
export async function signIn(rig: OidcRig, browser: TestBrowser, path?: string): Promise<TestResponse> {
  const { callback } = await toCallback(rig, browser, path);
  return browser.get(callback.href);
}

/** The token endpoint's requests the proxy saw with this grant type, oldest first. */
export function tokenExchanges(rig: OidcRig, grantType: string): ProxiedExchange[] {
  return rig.proxy.exchangesFor('/token').filter((exchange) => new URLSearchParams(exchange.body).get('grant_type') === grantType);
}

/** The JSON node-oidc-provider answered to a token request (before any rewrite). */
export function upstreamJson(exchange: ProxiedExchange | undefined): Record<string, unknown> {
  expect(exchange?.upstream, 'the request was not forwarded').toBeDefined();
  return JSON.parse(exchange!.upstream!.body) as Record<string, unknown>;
}
