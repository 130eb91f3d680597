import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { OAuthSessionTokens, type BrowserRequest, type ClientSeed, type OAuthClientModuleOptions } from '../../../src/index.js';
import { CountingProxy } from '../../resource-server/support/counting-proxy.js';
import { formOf, TestBrowser } from '../../support/authorization-flow.js';
import type { Database, Platform } from '../../support/matrix.js';
import { OIDC_SCOPES } from '../../support/oidc-app.js';
import { TestAccountsModule } from '../../support/test-accounts.js';
import { bootTestApp, FakeClock, TEST_SECRET, type TestApp } from '../../support/test-app.js';
import { bootLoginApp, freePort } from './login-app.js';
import { RedisServer } from './redis-server.js';

/** The signed-in user's provider access token (refreshed near expiry by `OAuthSessionTokens`). */
@Controller('as-user')
export class AsUserController {
  constructor(private readonly tokens: OAuthSessionTokens) {}

  @Get('token')
  async token(@Req() request: BrowserRequest): Promise<{ token: string | null }> {
    return { token: (await this.tokens.accessToken(request)) ?? null };
  }
}

/** One instance of the client app and its own URL (what the load balancer forwards to). */
export interface Instance {
  app: INestApplication;
  url: string;
}

/**
 * Two instances A and B of one client app (same options: one Redis as the store, one encryptionSecret) behind a
 * load balancer (a CountingProxy whose `target` picks the instance a request lands on); the provider is authnest's
 * own server behind another CountingProxy. The instances and the provider share a FakeClock (machines with
 * synchronised clocks); Redis runs on real time.
 */
export class RedisRig {
  readonly clock = new FakeClock();
  redisServer!: RedisServer;
  /** A connection of the test's own, to look at what the instances stored. */
  redis!: Redis;
  provider!: CountingProxy;
  server!: TestApp;
  balancer!: CountingProxy;
  a!: Instance;
  b!: Instance;

  static async start(platform: Platform, db: Database, extra: Partial<OAuthClientModuleOptions> = {}): Promise<RedisRig> {
    const rig = new RedisRig();
    try {
      await rig.boot(platform, db, extra);
    } catch (error) {
      await rig.stop();
      throw error;
    }
    return rig;
  }

  /** The client app's public URL (the load balancer's). */
  get appUrl(): string {
    return this.balancer.url;
  }

  /** Sends the next requests through the load balancer to this instance. */
  route(instance: Instance): void {
    this.balancer.target = instance.url;
  }

  newBrowser(): TestBrowser {
    return new TestBrowser({ url: this.provider.url, issuer: this.provider.url });
  }

  /** GET /login through the load balancer (to the routed instance); resolves the provider's authorization URL. */
  async startLogin(browser: TestBrowser, returnTo = '/me'): Promise<URL> {
    const start = await browser.get(`${this.appUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status, start.text).toBe(303);
    return new URL(start.headers.get('location')!);
  }

  /** Signs alice in at the provider's login page; resolves the callback URL (not yet visited). */
  async authorize(browser: TestBrowser, authorize: URL): Promise<string> {
    const page = await browser.follow(await browser.get(authorize.href));
    const form = formOf(page.text);
    const answer = await browser.post(form.action, { csrf: form.csrf, username: 'alice', password: 'alice-password' });
    expect(answer.status, answer.text).toBe(303);
    const callback = answer.headers.get('location')!;
    expect(callback.startsWith(`${this.appUrl}/callback?`), callback).toBe(true);
    return callback;
  }

  /** A whole login through the load balancer; resolves the signed-in browser. */
  async signedIn(): Promise<TestBrowser> {
    const browser = this.newBrowser();
    const callback = await this.authorize(browser, await this.startLogin(browser));
    const done = await browser.get(callback);
    expect(done.status, done.text).toBe(303);
    return browser;
  }

  /** refresh_token grants the provider received. */
  refreshes(): number {
    return this.provider.exchangesFor('/oauth/token').filter((exchange) => new URLSearchParams(exchange.body).get('grant_type') === 'refresh_token').length;
  }

  /** Every key in Redis and its value. */
  async entries(): Promise<Map<string, string>> {
    const keys = (await this.redis.keys('*')).sort();
    const values = keys.length > 0 ? await this.redis.mget(...keys) : [];
    return new Map(keys.map((key, i) => [key, values[i] ?? '']));
  }

  async stop(): Promise<void> {
    await this.a?.app.close();
    await this.b?.app.close();
    await this.server?.close();
    await this.balancer?.stop();
    await this.provider?.stop();
    this.redis?.disconnect();
    await this.redisServer?.stop();
  }

  private async boot(platform: Platform, db: Database, extra: Partial<OAuthClientModuleOptions>): Promise<void> {
    this.redisServer = await RedisServer.start();
    this.redis = new Redis(this.redisServer.url, { lazyConnect: true });
    await this.redis.connect();
    this.provider = await CountingProxy.start();
    this.balancer = await CountingProxy.start();
    const rp: ClientSeed = {
      clientId: 'web-app',
      clientSecret: 'web-app-secret-01',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: OIDC_SCOPES,
      redirectUris: [`${this.appUrl}/callback`],
      postLogoutRedirectUris: [`${this.appUrl}/`],
      firstParty: true,
    };
    this.server = await bootTestApp({ platform, db, clock: this.clock, imports: [TestAccountsModule], options: { issuer: this.provider.url, scopes: OIDC_SCOPES, clients: [rp] } });
    this.provider.target = this.server.url;
    const options: OAuthClientModuleOptions = {
      providers: {
        provider: {
          issuer: this.provider.url,
          clientId: 'web-app',
          clientSecret: 'web-app-secret-01',
          login: { redirectUri: `${this.appUrl}/callback`, postLogoutRedirectUri: `${this.appUrl}/` },
        },
      },
      redis: { url: this.redisServer.url },
      encryptionSecret: TEST_SECRET,
      ...extra,
    };
    for (const name of ['a', 'b'] as const) {
      const port = await freePort();
      this[name] = { app: await bootLoginApp(platform, port, options, this.clock, [AsUserController]), url: `http://127.0.0.1:${port}` };
    }
    this.route(this.a);
  }
}
