import { createHmac, KeyObject, sign as cryptoSign } from 'node:crypto';
import { Controller, Get, HttpException, Param, Query, Req, Res, type INestApplication, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { decodeJwt, decodeProtectedHeader, type CryptoKey } from 'jose';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import {
  Clock,
  OAuthClientError,
  OAuthClientModule,
  OAuthLogin,
  PageResponder,
  type AuthDatabaseOptions,
  type BrowserRequest,
  type ClientSeed,
  type OAuthClientModuleOptions,
} from '../../../src/index.js';
import { CountingProxy, type ProxiedExchange } from '../../resource-server/support/counting-proxy.js';
import { serverKey } from '../../resource/support/jwt-forge.js';
import { formOf, TestBrowser } from '../../support/authorization-flow.js';
import type { TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { OIDC_SCOPES } from '../../support/oidc-app.js';
import { TestAccountsModule } from '../../support/test-accounts.js';
import { bootTestApp, FakeClock, freshDatabase, TEST_SECRET, type TestApp } from '../../support/test-app.js';
import { freePort, LoginController } from './login-app.js';

export const CLIENT_ID = 'web-app';
export const CLIENT_SECRET = 'web-app-secret-01';

/**
 * Routes of the test host besides LoginController's: a login through any provider with `prompt`, and a callback
 * that answers the whole `OAuthClientError` (code, description, message), as a host would log it, so tests can see
 * that none of it names a token or a secret.
 */
@Controller()
export class RigController {
  constructor(
    private readonly login: OAuthLogin,
    private readonly responder: PageResponder,
  ) {}

  @Get('login/:provider')
  async start(
    @Param('provider') provider: string,
    @Req() request: BrowserRequest,
    @Res() response: unknown,
    @Query('returnTo') returnTo?: string,
    @Query('prompt') prompt?: string,
  ): Promise<void> {
    this.responder.send(response, await this.login.start(provider, request, { returnTo, prompt }));
  }

  @Get('inspect/callback')
  async callback(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    try {
      this.responder.send(response, (await this.login.finish(request)).response);
    } catch (error) {
      if (!(error instanceof OAuthClientError)) throw error;
      throw new HttpException({ error: error.code, provider: error.provider, description: error.description, message: error.message }, 400);
    }
  }
}

export interface LoginRigOptions {
  sessionTtl?: number;
  loginTtl?: number;
  /** Login scopes of both providers. */
  scopes?: string[];
  userInfoTtl?: number;
  /** More controllers of the client app. */
  controllers?: Type[];
}

/**
 * A provider (authnest's own server, alice and bob) behind a CountingProxy, and a client app (`OAuthClientModule`
 * with LoginController and RigController) on its own store (SQLite file or a schema of TEST_DATABASE_URL). Both
 * apps share one FakeClock, as two machines with synchronised clocks. The client knows the provider twice:
 * `provider` with `postLogoutRedirectUri`, `local` without.
 */
export interface LoginRig {
  proxy: CountingProxy;
  provider: TestApp;
  client: INestApplication;
  appUrl: string;
  clock: FakeClock;
  clientDatabase: AuthDatabaseOptions;
  /** A new browser (its own cookie jar). */
  browser(): TestBrowser;
  /** Rewrites of the provider's JSON answers by path (`/oauth/token`, `/oauth/userinfo`, `/oauth/jwks`). */
  tamper: Map<string, (answer: Record<string, unknown>, exchange: ProxiedExchange) => unknown>;
  /** Back to an honest, reachable provider. */
  reset(): void;
  close(): Promise<void>;
}

export async function bootLoginRig(platform: Platform, db: Database, options: LoginRigOptions = {}): Promise<LoginRig> {
  const clock = new FakeClock(Date.UTC(2031, 0, 10, 9, 0, 0));
  const proxy = await CountingProxy.start();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const rp: ClientSeed = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: OIDC_SCOPES,
    redirectUris: [`${appUrl}/callback`],
    postLogoutRedirectUris: [`${appUrl}/`],
  };
  const provider = await bootTestApp({ platform, db, clock, imports: [TestAccountsModule], options: { issuer: proxy.url, scopes: OIDC_SCOPES, clients: [rp] } });
  proxy.target = provider.url;
  const store = freshDatabase(db);
  const login = { redirectUri: `${appUrl}/callback`, scopes: options.scopes };
  const base = { issuer: proxy.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  const client = await bootRelyingParty(platform, port, clock, {
    providers: { provider: { ...base, login: { ...login, postLogoutRedirectUri: `${appUrl}/` } }, local: { ...base, login } },
    database: store.database,
    encryptionSecret: TEST_SECRET,
    sessionTtl: options.sessionTtl,
    loginTtl: options.loginTtl,
    userInfoTtl: options.userInfoTtl,
  }, options.controllers);
  const tamper: LoginRig['tamper'] = new Map();
  const install = () => {
    proxy.rewrite = (answer, exchange) => tamper.get(exchange.path)?.(answer as Record<string, unknown>, exchange) ?? answer;
  };
  install();
  return {
    proxy,
    provider,
    client,
    appUrl,
    clock,
    clientDatabase: store.database,
    browser: () => new TestBrowser({ url: proxy.url, issuer: proxy.url }),
    tamper,
    reset: () => {
      proxy.reset();
      tamper.clear();
      install();
    },
    close: async () => {
      await client.close();
      await store.drop();
      await provider.close();
      await proxy.stop();
    },
  };
}

async function bootRelyingParty(platform: Platform, port: number, clock: Clock, options: OAuthClientModuleOptions, controllers: Type[] = []): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [OAuthClientModule.forRoot(options)], controllers: [LoginController, RigController, ...controllers] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  await app.listen(port, '127.0.0.1');
  return app;
}

/** GETs the client app's login start (`/login` or `/login/<provider>`); resolves the authorization URL. */
export async function startLogin(rig: LoginRig, browser: TestBrowser, path = '/login', query: Record<string, string> | [string, string][] = {}): Promise<URL> {
  const search = new URLSearchParams(query).toString();
  const start = await browser.get(`${rig.appUrl}${path}${search ? `?${search}` : ''}`);
  expect(start.status, start.text).toBe(303);
  return new URL(start.headers.get('location')!);
}

/**
 * Follows the authorization URL through the provider's pages (login as `username`, consent with `decision`, each
 * only when shown) until the provider sends the browser back to the client app; resolves that callback URL.
 */
export async function throughProvider(rig: LoginRig, browser: TestBrowser, authorize: URL, options: { username?: string; decision?: 'approve' | 'deny' } = {}): Promise<string> {
  const username = options.username ?? 'alice';
  let res = await browser.get(authorize.href);
  for (let step = 0; step < 8; step += 1) {
    if (res.status === 303) {
      const location = res.headers.get('location')!;
      if (location.startsWith(`${rig.appUrl}/`)) return location;
      res = await browser.get(location);
      continue;
    }
    expect(res.status, res.text).toBe(200);
    const form = formOf(res.text);
    if (res.text.includes('name="password"')) res = await browser.post(form.action, { csrf: form.csrf, username, password: `${username}-password` });
    else res = await browser.post(form.action, { csrf: form.csrf, decision: options.decision ?? 'approve' });
  }
  throw new Error('the provider never sent the browser back');
}

/** The callback URL with its path replaced by RigController's `/inspect/callback` (same query). */
export function inspected(callback: string): string {
  const url = new URL(callback);
  return `${url.origin}/inspect/callback${url.search}`;
}

/** A whole login from `/login` (or `path`): the authorization URL, the callback URL and the callback's answer. */
export async function logIn(
  rig: LoginRig,
  browser: TestBrowser,
  options: { path?: string; query?: Record<string, string> | [string, string][]; username?: string; inspect?: boolean } = {},
): Promise<{ authorize: URL; callback: string; done: TestResponse }> {
  const authorize = await startLogin(rig, browser, options.path, options.query);
  const callback = await throughProvider(rig, browser, authorize, options);
  const done = await browser.get(options.inspect ? inspected(callback) : callback);
  return { authorize, callback, done };
}

/** A key to sign with: asymmetric (ES256, RS256), an HMAC secret (HS256), or none at all (`alg: none`). */
export type TestSigner = { kid: string; alg: string; privateKey: CryptoKey | KeyObject } | { kid: string; alg: 'HS256'; secret: string } | { kid: string; alg: 'none' };

/** Signs a JWS synchronously, for rewrites in the proxy, which cannot wait. */
export function signNow(key: TestSigner, payload: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ: 'JWT' })).toString('base64url');
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  if ('secret' in key) return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
  if (!('privateKey' in key)) return `${input}.`;
  const keyObject = key.privateKey instanceof KeyObject ? key.privateKey : KeyObject.from(key.privateKey);
  const signature = cryptoSign('sha256', Buffer.from(input), key.alg.startsWith('ES') ? { key: keyObject, dsaEncoding: 'ieee-p1363' } : keyObject);
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * A token-endpoint rewrite that re-signs the real ID token's claims, changed by `change`, with the provider's own
 * key, or with `key` (an ES256 private key, or an HS256 secret, or `none`) under the provider's kid unless given.
 */
export function resignIdToken(
  provider: TestApp,
  change: (claims: Record<string, unknown>) => Record<string, unknown>,
  key?: { kid?: string; privateKey: KeyObject } | { kid?: string; secret: string } | { kid?: string; none: true },
): (answer: Record<string, unknown>) => unknown {
  return (answer) => {
    const real = serverKey(provider);
    const idToken = answer.id_token as string;
    expect(decodeProtectedHeader(idToken).kid).toBe(real.kid);
    const kid = key?.kid ?? real.kid;
    const signer: TestSigner = !key
      ? real
      : 'privateKey' in key
        ? { kid, alg: 'ES256', privateKey: key.privateKey }
        : 'secret' in key
          ? { kid, alg: 'HS256', secret: key.secret }
          : { kid, alg: 'none' };
    return { ...answer, id_token: signNow(signer, change({ ...decodeJwt(idToken) })) };
  };
}

/** Every secret a login handled, as the proxy saw them: code, code_verifier, tokens, nonce, state, client secret. */
export function secretsSeen(rig: LoginRig, authorize?: URL): string[] {
  const values = [CLIENT_SECRET];
  for (const exchange of rig.proxy.exchangesFor('/oauth/token')) {
    const form = new URLSearchParams(exchange.body);
    for (const name of ['code', 'code_verifier']) if (form.get(name)) values.push(form.get(name)!);
    if (exchange.upstream) {
      const body = JSON.parse(exchange.upstream.body) as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body[name] === 'string') values.push(body[name]);
    }
  }
  if (authorize) for (const name of ['state', 'nonce']) values.push(authorize.searchParams.get(name)!);
  return values;
}

/** Asserts that `text` holds none of `secrets` (nor the signature part of a JWT among them). */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    const signature = secret.split('.')[2];
    if (signature) expect(text).not.toContain(signature);
  }
}

/** The rows of the client store's table, read with a DataSource of its own (not the app's). */
export async function storeRows(database: AuthDatabaseOptions): Promise<{ key_hash: string; value: string; expires_at: unknown }[]> {
  const db = database as { type: string; path?: string; url?: string; schema?: string };
  const dataSource =
    db.type === 'postgres' ? new DataSource({ type: 'postgres', url: db.url, schema: db.schema }) : new DataSource({ type: 'better-sqlite3', database: db.path! });
  await dataSource.initialize();
  try {
    const table = db.type === 'postgres' ? `"${db.schema}"."authnest_client_entries"` : 'authnest_client_entries';
    return (await dataSource.query(`SELECT * FROM ${table}`)) as { key_hash: string; value: string; expires_at: unknown }[];
  } finally {
    await dataSource.destroy();
  }
}
