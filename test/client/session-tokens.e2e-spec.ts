import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHNEST_OAUTH_SESSION, OAuthPassportGuard, OAuthSessionTokens, type BrowserRequest, type ClientSeed, type OAuthSession } from '../../src/index.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { formOf, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { OIDC_SCOPES } from '../support/oidc-app.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, FakeClock, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { bootLoginApp, freePort } from './support/login-app.js';

let providerUrl = '';

/** Routes of the client app that use the signed-in user's provider tokens. */
@Controller('as-user')
class AsUserController {
  constructor(private readonly tokens: OAuthSessionTokens) {}

  @Get('token')
  async token(@Req() request: BrowserRequest): Promise<{ token: string | null }> {
    return { token: (await this.tokens.accessToken(request)) ?? null };
  }

  /** Calls the provider's UserInfo with the user's access token. */
  @Get('userinfo')
  async userinfo(@Req() request: BrowserRequest): Promise<{ status: number | null }> {
    const res = await this.tokens.fetch(request, `${providerUrl}/oauth/userinfo`);
    return { status: res?.status ?? null };
  }
}

/** Routes guarded through @nestjs/passport instead of `OAuthSessionGuard`. */
@Controller('passport')
class PassportController {
  @Get('plain')
  @UseGuards(AuthGuard(AUTHNEST_OAUTH_SESSION))
  plain(@Req() request: BrowserRequest & { user?: OAuthSession }): { sub?: string } {
    return { sub: request.user?.sub };
  }

  @Get('guard')
  @UseGuards(OAuthPassportGuard)
  guarded(@Req() request: BrowserRequest & { user?: OAuthSession }): { sub?: string } {
    return { sub: request.user?.sub };
  }
}

/**
 * The signed-in user's provider tokens (`OAuthSessionTokens`): the access token is refreshed with the refresh_token
 * grant (RFC 6749 section 6) when it has less than `refreshSkew` left, once however many requests ask at the same
 * time; a refused refresh (the provider revoked the grant) ends the app's session.
 */
describe.each(testMatrix())("OAuth client: the user's tokens and their refresh on %s/%s", (platform, db) => {
  let proxy: CountingProxy;
  let server: TestApp;
  let client: INestApplication;
  let appUrl: string;
  let dir: string;
  const clock = new FakeClock();

  beforeAll(async () => {
    proxy = await CountingProxy.start();
    providerUrl = proxy.url;
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    const rp: ClientSeed = {
      clientId: 'web-app',
      clientSecret: 'web-app-secret-01',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: OIDC_SCOPES,
      redirectUris: [`${appUrl}/callback`],
      firstParty: true,
    };
    server = await bootTestApp({ platform, db, imports: [TestAccountsModule], options: { issuer: proxy.url, scopes: OIDC_SCOPES, clients: [rp] } });
    proxy.target = server.url;
    dir = mkdtempSync(join(tmpdir(), 'authnest-client-'));
    client = await bootLoginApp(
      platform,
      port,
      {
        providers: { provider: { issuer: proxy.url, clientId: 'web-app', clientSecret: 'web-app-secret-01', login: { redirectUri: `${appUrl}/callback` } } },
        database: { type: 'sqlite', path: join(dir, 'client.sqlite') },
        encryptionSecret: TEST_SECRET,
      },
      clock,
      [AsUserController, PassportController],
    );
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await proxy?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<TestBrowser> {
    const browser = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    const authorize = (await browser.get(`${appUrl}/login`)).headers.get('location')!;
    const page = await browser.follow(await browser.get(authorize));
    const form = formOf(page.text);
    const callback = (await browser.post(form.action, { csrf: form.csrf, username: 'alice', password: 'alice-password' })).headers.get('location')!;
    expect((await browser.get(callback)).status).toBe(303);
    return browser;
  }

  const refreshes = () => proxy.exchangesFor('/oauth/token').filter((exchange) => new URLSearchParams(exchange.body).get('grant_type') === 'refresh_token').length;

  it('AuthGuard(AUTHNEST_OAUTH_SESSION) and OAuthPassportGuard see the same session as request.user (@nestjs/passport)', async () => {
    const anonymous = new TestBrowser({ url: proxy.url, issuer: proxy.url });
    expect((await anonymous.get(`${appUrl}/passport/plain`)).status).toBe(401);
    const refused = await anonymous.get(`${appUrl}/passport/guard`);
    expect([refused.status, refused.body]).toEqual([401, { error: 'login_required', error_description: 'Sign in first' }]);
    const browser = await signedIn();
    expect((await browser.get(`${appUrl}/passport/plain`)).body).toEqual({ sub: 'user-alice' });
    expect((await browser.get(`${appUrl}/passport/guard`)).body).toEqual({ sub: 'user-alice' });
  });

  it('serves the session access token while fresh, and refreshes it once for concurrent requests near expiry', async () => {
    const browser = await signedIn();
    const first = (await browser.get(`${appUrl}/as-user/token`)).body.token as string;
    expect(first).toEqual(expect.any(String));
    expect((await browser.get(`${appUrl}/as-user/userinfo`)).body).toEqual({ status: 200 });
    const before = refreshes();
    clock.advance(3600 - 29); // inside refreshSkew (30 s)
    const answers = await Promise.all(Array.from({ length: 5 }, () => browser.get(`${appUrl}/as-user/token`)));
    const tokens = new Set(answers.map((answer) => answer.body.token));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(first);
    expect(refreshes() - before).toBe(1);
    expect((await browser.get(`${appUrl}/as-user/userinfo`)).body).toEqual({ status: 200 });
    expect((await browser.get(`${appUrl}/me`)).status).toBe(200);
  });

  it('fetch retries once with refreshed tokens when the API refuses the access token (revoked at the provider)', async () => {
    const browser = await signedIn();
    const token = (await browser.get(`${appUrl}/as-user/token`)).body.token as string;
    const revoked = await postForm(`${server.url}/oauth/revoke`, { token, token_type_hint: 'access_token' }, { authorization: basic('web-app', 'web-app-secret-01') });
    expect(revoked.status).toBe(200);
    const before = refreshes();
    expect((await browser.get(`${appUrl}/as-user/userinfo`)).body).toEqual({ status: 200 });
    expect(refreshes() - before).toBe(1);
    expect((await browser.get(`${appUrl}/as-user/token`)).body.token).not.toBe(token);
  });

  it('ends the session when the provider refuses the refresh (invalid_grant: the account was deactivated)', async () => {
    const browser = await signedIn();
    const accounts = server.app.get(InMemoryAccountService);
    accounts.setActive('user-alice', false);
    try {
      clock.advance(3600);
      expect((await browser.get(`${appUrl}/as-user/token`)).body).toEqual({ token: null });
      expect((await browser.get(`${appUrl}/me`)).status).toBe(401);
    } finally {
      accounts.setActive('user-alice', true);
    }
  });
});
