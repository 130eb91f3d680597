import { generateKeyPairSync } from 'node:crypto';
import { Controller, Get, Req } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OAuthLogin, OAuthSessionTokens, type BrowserRequest } from '../../src/index.js';
import type { ProxiedExchange } from '../resource-server/support/counting-proxy.js';
import { testMatrix } from '../support/matrix.js';
import { bootLoginRig, logIn, resignIdToken, type LoginRig } from './support/login-helpers.js';

const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** The user's access token and the session's claims, after whatever refresh that needed. */
@Controller('tokens')
class TokensController {
  constructor(
    private readonly tokens: OAuthSessionTokens,
    private readonly login: OAuthLogin,
  ) {}

  @Get()
  async show(@Req() request: BrowserRequest): Promise<{ token: string | null; claims: Record<string, unknown> | null }> {
    const token = (await this.tokens.accessToken(request)) ?? null;
    return { token, claims: (await this.login.session(request))?.claims ?? null };
  }
}

type Rewrite = ReturnType<typeof resignIdToken>;
const isRefresh = (exchange: ProxiedExchange) => new URLSearchParams(exchange.body).get('grant_type') === 'refresh_token';

/**
 * An ID token a refresh returns (OpenID Connect Core section 12.2) is validated like the login's, and must name the
 * same user and authentication: the same `iss`, `sub`, `aud` and `auth_time`, `nonce` absent or the login's. One
 * that does not hold ends the session (the user signs in again); one that does replaces the session's claims.
 */
describe.each(testMatrix())('OAuth client: ID tokens returned by a refresh on %s/%s', (platform, db) => {
  let rig: LoginRig;

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db, { controllers: [TokensController] });
  });
  afterEach(() => rig.reset());
  afterAll(async () => {
    await rig?.close();
  });

  /** Signs alice in, then lets `rewrite` change the ID token of the next refresh (the login's stays as it was). */
  async function signedInThenRefresh(rewrite: (rig: LoginRig, loginClaims: Record<string, unknown>) => Rewrite) {
    const browser = rig.browser();
    expect((await logIn(rig, browser)).done.status).toBe(303);
    const before = (await browser.get(`${rig.appUrl}/tokens`)).body as { token: string; claims: Record<string, unknown> };
    const change = rewrite(rig, before.claims);
    rig.tamper.set('/oauth/token', (answer, exchange) => (isRefresh(exchange) ? change(answer) : answer));
    rig.clock.advance(3600);
    const after = (await browser.get(`${rig.appUrl}/tokens`)).body as { token: string | null; claims: Record<string, unknown> | null };
    const refreshed = rig.proxy.exchangesFor('/oauth/token').filter(isRefresh).at(-1);
    expect(refreshed?.upstream?.status).toBe(200);
    expect(JSON.parse(refreshed!.upstream!.body)).toHaveProperty('id_token');
    return { browser, before, after };
  }

  it("keeps the session and takes the new ID token's claims when it holds (authnest's refreshed ID token has no nonce)", async () => {
    const { browser, before, after } = await signedInThenRefresh(() => (answer) => answer);
    expect(after.token).toEqual(expect.any(String));
    expect(after.token).not.toBe(before.token);
    expect(after.claims).toMatchObject({ sub: 'user-alice', nonce: before.claims.nonce, auth_time: before.claims.auth_time, email: 'alice@example.com' });
    expect(after.claims!.iat as number).toBeGreaterThan(before.claims.iat as number);
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(200);
  });

  it("keeps the session when the refreshed ID token repeats the login's nonce", async () => {
    const { before, after } = await signedInThenRefresh((r, login) => resignIdToken(r.provider, (claims) => ({ ...claims, nonce: login.nonce })));
    expect(before.claims.nonce).toEqual(expect.any(String));
    expect(after.token).toEqual(expect.any(String));
    expect(after.claims?.nonce).toBe(before.claims.nonce);
  });

  const refusals: [string, (rig: LoginRig) => Rewrite][] = [
    ['names another sub', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, sub: 'user-bob' }))],
    ['comes from another iss', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, iss: 'https://evil.example' }))],
    ['is for another aud', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, aud: 'other-app' }))],
    ['has another nonce', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, nonce: 'another-nonce' }))],
    ['has another auth_time', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, auth_time: (claims.auth_time as number) + 60 }))],
    ['is expired', (r) => resignIdToken(r.provider, (claims) => ({ ...claims, exp: Math.floor(r.clock.now() / 1000) - 120 }))],
    ['is signed with another key under the same kid', (r) => resignIdToken(r.provider, (claims) => claims, { privateKey: otherKey })],
    ['has alg none', (r) => resignIdToken(r.provider, (claims) => claims, { none: true })],
  ];
  it.each(refusals)('ends the session when the refreshed ID token %s', async (_name, rewrite) => {
    const { browser, after } = await signedInThenRefresh(rewrite);
    expect(after).toEqual({ token: null, claims: null });
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(401);
  });
});
