import { Controller, Get, HttpException, Req } from '@nestjs/common';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClientError, OAuthClients, OAuthSessionTokens, type BrowserRequest } from '../../src/index.js';
import type { TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { OP_ACCOUNT, OP_CLIENTS } from './support/oidc-provider-server.js';
import { bootOidcRig, signIn, tokenExchanges, upstreamJson, WEB_WITH_REFRESH, webProvider, type OidcRig } from './support/oidc-provider-rig.js';

/** Routes of the client app that use the signed-in user's tokens; a provider that cannot be asked is a 503, not a 401. */
@Controller('as-user')
class AsUserController {
  constructor(
    private readonly tokens: OAuthSessionTokens,
    private readonly clients: OAuthClients,
  ) {}

  @Get('token')
  async token(@Req() request: BrowserRequest): Promise<{ token: string | null }> {
    return this.unavailableAs503(async () => ({ token: (await this.tokens.accessToken(request)) ?? null }));
  }

  /** node-oidc-provider's UserInfo, called with the user's access token. */
  @Get('userinfo')
  async userinfo(@Req() request: BrowserRequest): Promise<{ status: number | null; sub?: unknown }> {
    return this.unavailableAs503(async () => {
      const res = await this.tokens.fetch(request, await this.clients.get('provider').endpoint('userinfo'));
      return res ? { status: res.status, sub: res.ok ? ((await res.json()) as { sub?: unknown }).sub : undefined } : { status: null };
    });
  }

  private async unavailableAs503<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof OAuthClientError) throw new HttpException({ error: error.code, message: error.message }, 503);
      throw error;
    }
  }
}

/**
 * node-oidc-provider's access token lifetime here (seconds); the client's FakeClock moves past it to make a token
 * expire. node-oidc-provider keeps real time: the tests here move the client's clock ahead of it by some 1600 s in
 * all, well within its ID tokens' 3600 s, which the client checks with its own clock.
 */
const ACCESS_TOKEN_TTL = 120;

/**
 * The signed-in user's tokens (`OAuthSessionTokens`) against node-oidc-provider 9, behind a CountingProxy that is its
 * issuer. The web-app client is registered there with the refresh_token grant, and the login asks for
 * `offline_access` with `prompt=consent` (node-oidc-provider drops offline_access without it, OpenID Connect Core 11;
 * its default `issueRefreshToken` then issues one). An access token past its expiry is refreshed with its
 * refresh_token grant (RFC 6749 section 6), with and without refresh token rotation, once for concurrent requests;
 * the ID token of its refresh answer (same `sub`, its `nonce` repeated) keeps the session. A refresh token revoked at
 * its revocation endpoint (RFC 7009) is refused (`invalid_grant`) and ends the session; a provider that cannot be
 * reached during a refresh is an error and no sign-out.
 */
describe.each(testMatrix())("OAuth client: the user's tokens refreshed at node-oidc-provider on %s/%s", (platform, db) => {
  let rig: OidcRig;
  const settings = { rotate: false };

  beforeAll(async () => {
    rig = await bootOidcRig(platform, db, {
      providers: (issuer, appUrl) => ({ provider: webProvider(issuer, appUrl, ['openid', 'profile', 'email', 'offline_access']) }),
      op: { webClient: WEB_WITH_REFRESH, configuration: { rotateRefreshToken: () => settings.rotate, ttl: { AccessToken: ACCESS_TOKEN_TTL } } },
      controllers: [AsUserController],
    });
  });
  afterEach(async () => {
    await rig.reset();
    settings.rotate = false;
    expect(rig.op.serverErrors).toEqual([]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const get = (browser: TestBrowser, path: string) => browser.get(`${rig.appUrl}${path}`);
  const refreshes = () => tokenExchanges(rig, 'refresh_token');

  /** Signs alice in with offline_access and prompt=consent; resolves the browser and the login's token answer. */
  async function signedIn(): Promise<{ browser: TestBrowser; login: Record<string, unknown>; nonce: string }> {
    const browser = rig.browser();
    const done = await signIn(rig, browser, '/rig/start/provider?prompt=consent');
    expect([done.status, done.headers.get('location')], done.text).toEqual([303, '/me']);
    const login = upstreamJson(tokenExchanges(rig, 'authorization_code').at(-1));
    expect(login).toMatchObject({ refresh_token: expect.any(String), expires_in: ACCESS_TOKEN_TTL });
    expect(String(login.scope).split(' ')).toContain('offline_access');
    return { browser, login, nonce: String(decodeJwt(login.id_token as string).nonce) };
  }

  async function expectSignedIn(browser: TestBrowser): Promise<void> {
    expect((await get(browser, '/me')).body).toMatchObject({ sub: OP_ACCOUNT.id, email: OP_ACCOUNT.email });
  }

  it.each([false, true])('refreshes an expired access token with its refresh_token grant (rotation %s); she stays signed in', async (rotate) => {
    settings.rotate = rotate;
    const { browser, login, nonce } = await signedIn();
    expect((await get(browser, '/as-user/token')).body).toEqual({ token: login.access_token });
    expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: 200, sub: OP_ACCOUNT.id });
    let refreshToken = login.refresh_token as string;
    let accessToken = login.access_token as string;
    for (let round = 0; round < 2; round += 1) {
      const before = refreshes().length;
      rig.clock.advance(ACCESS_TOKEN_TTL + 1);
      const token = (await get(browser, '/as-user/token')).body.token as string;
      expect(refreshes().length).toBe(before + 1);
      const exchange = refreshes().at(-1)!;
      // The refresh token of the last answer (the rotated one with rotation: reusing the old one revokes the grant).
      expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(exchange.headers.authorization).toMatch(/^Basic /);
      const answer = upstreamJson(exchange);
      expect(answer.access_token).toBe(token);
      expect(token).not.toBe(accessToken);
      expect(answer.refresh_token === refreshToken).toBe(!rotate);
      // node-oidc-provider answers a refresh with an ID token too: the same user, the login's nonce repeated.
      expect(decodeJwt(answer.id_token as string)).toMatchObject({ iss: rig.proxy.url, aud: OP_CLIENTS.web.id, sub: OP_ACCOUNT.id, nonce });
      [refreshToken, accessToken] = [answer.refresh_token as string, token];
      expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: 200, sub: OP_ACCOUNT.id });
      await expectSignedIn(browser);
    }
  });

  it('refreshes once for concurrent requests (with rotation, where a second use would revoke the grant)', async () => {
    settings.rotate = true;
    const { browser, login } = await signedIn();
    const before = refreshes().length;
    rig.clock.advance(ACCESS_TOKEN_TTL + 1);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => get(browser, i % 2 === 0 ? '/as-user/token' : '/as-user/userinfo')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    const tokens = new Set(answers.filter((_, i) => i % 2 === 0).map((answer) => answer.body.token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(login.access_token)).toBe(false);
    expect(answers.filter((_, i) => i % 2 === 1).map((answer) => answer.body)).toEqual(Array(3).fill({ status: 200, sub: OP_ACCOUNT.id }));
    expect(refreshes().length).toBe(before + 1);
    await expectSignedIn(browser);
  });

  type Claims = Record<string, unknown>;
  const refreshedIdTokens: [string, (claims: Claims) => Claims, boolean][] = [
    ['its claims and amr (control: kept)', (claims) => ({ ...claims, amr: ['pwd'] }), true],
    ['another sub', (claims) => ({ ...claims, sub: 'mallory' }), false],
    ['another nonce', (claims) => ({ ...claims, nonce: 'another-nonce' }), false],
    ['another aud', (claims) => ({ ...claims, aud: 'other-app' }), false],
  ];
  it.each(refreshedIdTokens)('takes a refreshed ID token signed with node-oidc-provider\'s key and %s', async (_name, change, kept) => {
    const { browser, login } = await signedIn();
    const key = rig.op.signingKeys.find((jwk) => jwk.alg === 'RS256')!;
    const forged = await new SignJWT(change({ ...decodeJwt(login.id_token as string) }))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
      .sign(await importJWK(key, 'RS256'));
    rig.proxy.only = '/token';
    rig.proxy.rewrite = (answer, exchange) =>
      new URLSearchParams(exchange.body).get('grant_type') === 'refresh_token' ? { ...(answer as Record<string, unknown>), id_token: forged } : answer;
    rig.clock.advance(ACCESS_TOKEN_TTL + 1);
    const token = (await get(browser, '/as-user/token')).body.token;
    expect(upstreamJson(refreshes().at(-1)).id_token).not.toBe(forged);
    if (kept) {
      expect(token).toBe(upstreamJson(refreshes().at(-1)).access_token);
      return expectSignedIn(browser);
    }
    expect(token).toBeNull();
    expect((await get(browser, '/me')).status).toBe(401);
  });

  /** RFC 7009 at node-oidc-provider's revocation endpoint, as web-app (client_secret_basic). */
  async function revoke(token: string): Promise<void> {
    const res = await fetch(`${rig.proxy.url}/token/revocation`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${OP_CLIENTS.web.id}:${OP_CLIENTS.web.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }).toString(),
    });
    expect(res.status).toBe(200);
  }

  it('ends the session when the refresh token was revoked at its revocation endpoint: invalid_grant at expiry, then 401', async () => {
    const { browser, login } = await signedIn();
    await revoke(login.refresh_token as string);
    rig.clock.advance(ACCESS_TOKEN_TTL + 1);
    expect((await get(browser, '/as-user/token')).body).toEqual({ token: null });
    const refused = refreshes().at(-1)!;
    expect(new URLSearchParams(refused.body).get('refresh_token')).toBe(login.refresh_token);
    expect([refused.upstream?.status, upstreamJson(refused).error]).toEqual([400, 'invalid_grant']);
    expect((await get(browser, '/me')).status).toBe(401);
    expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: null });
  });

  it('ends the session when UserInfo refuses the access token after the revocation (the grant is gone) and the refresh is refused', async () => {
    const { browser, login } = await signedIn();
    expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: 200, sub: OP_ACCOUNT.id });
    await revoke(login.refresh_token as string); // node-oidc-provider revokes the whole grant: its access token too
    const before = refreshes().length;
    expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: 401 });
    expect(refreshes().length).toBe(before + 1);
    expect(upstreamJson(refreshes().at(-1)).error).toBe('invalid_grant');
    expect((await get(browser, '/me')).status).toBe(401);
  });

  it.each(['error', 'reset', 'closed'] as const)('keeps the session when the provider is down during a refresh (%s), and refreshes once it is back', async (mode) => {
    const { browser, login } = await signedIn();
    rig.clock.advance(ACCESS_TOKEN_TTL + 1);
    if (mode === 'closed') await rig.disconnect();
    else Object.assign(rig.proxy, { only: '/token', mode });
    const failed = await get(browser, '/as-user/token');
    expect([failed.status, failed.body.error], failed.text).toEqual([503, 'unavailable']);
    expect(failed.text).not.toContain(login.refresh_token as string);
    expect(failed.text).not.toContain(OP_CLIENTS.web.secret);
    await expectSignedIn(browser); // an error, not a sign-out
    await rig.reset();
    const token = (await get(browser, '/as-user/token')).body.token as string;
    expect(token).toBe(upstreamJson(refreshes().at(-1)).access_token);
    expect(token).not.toBe(login.access_token);
    expect((await get(browser, '/as-user/userinfo')).body).toEqual({ status: 200, sub: OP_ACCOUNT.id });
    await expectSignedIn(browser);
  });
});
