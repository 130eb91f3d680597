import { Body, Controller, Post, Res } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionService, PageResponder, type ClientSeed } from '../../src/index.js';
import { authorizePath, clientRedirect, pkce, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { getMe, MeController } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, oidcRequest, PUBLIC_RP, redeemCode, refreshTokens, RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectedAtHash, silentTokens, verifyIdToken } from './support/id-token-helpers.js';

const seconds = (ms: number) => Math.floor(ms / 1000);
const ID_TOKEN_TTL = 900;
const CLIENTS = [
  ['confidential', RP],
  ['public', PUBLIC_RP],
] as [string, ClientSeed][];

/**
 * ID tokens of the authorization code flow (OpenID Connect Core 3.1.3.3, 3.1.3.6, 3.1.3.7; Authlib catalogue 151,
 * 153): signed with the JWKS key its `kid` names; `iss`, `sub`, `aud` = the client alone (no `azp`), `exp` = `iat` +
 * `oidc.idTokenTtl`, `auth_time` of the login (kept on silent SSO), the nonce echoed byte for byte, `at_hash`, `amr`
 * of the builtin login, `sid`; none without `openid`. Refresh (Core 12.2, checklist 27, 30) and token-type
 * confusion at a guarded route (checklist 53).
 */
describe.each(testMatrix())('ID tokens on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, controllers: [MeController], options: { oidc: { idTokenTtl: ID_TOKEN_TTL } } });
  });
  afterAll(() => t?.close());

  it.each(CLIENTS)('a %s client gets an ID token with exactly the claims of Core 3.1.3.7 (151)', async (_kind, client) => {
    clock.advance(10);
    const loginTime = clock.now();
    const login = await oidcLogin(t, client);
    const { header, payload } = await verifyIdToken(t, login.idToken, client.clientId, clock.now());
    expect(header).toEqual({ alg: 'ES256', kid: expect.stringMatching(/^\S+$/), typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual(['amr', 'at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'nonce', 'sid', 'sub']);
    expect(payload).toMatchObject({ iss: t.issuer, sub: 'user-alice', aud: client.clientId, nonce: login.params.nonce, amr: ['pwd'] });
    expect(payload.iat).toBe(seconds(clock.now()));
    expect(payload.exp).toBe(payload.iat! + ID_TOKEN_TTL);
    expect(payload.auth_time).toBe(seconds(loginTime));
    expect(payload.at_hash).toBe(expectedAtHash(login.tokens.access_token as string, 'ES256'));
    // sid names the login session the browser now holds.
    const sessions = await tableRows(t.app, 'SessionEntity');
    expect(sessions.filter((row) => row.sid === payload.sid)).toHaveLength(1);
    expect(sessions.find((row) => row.sid === payload.sid)!.account_id).toBe('user-alice');
  });

  it('echoes a nonce byte for byte, also a 4096-character one (checklist 99)', async () => {
    for (const nonce of ['ünï+cødé/=?&#% ~!', 'n'.repeat(4096), `${'ab'.repeat(2000)}-${'z'.repeat(95)}`]) {
      const login = await oidcLogin(t, RP, { extra: { nonce } });
      expect((await verifyIdToken(t, login.idToken, 'rp', clock.now())).payload.nonce).toBe(nonce);
    }
  });

  it('issues no ID token without the openid scope, neither from the code nor on refresh (153)', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: 'profile email' } });
    expect(login.tokens).not.toHaveProperty('id_token');
    expect(login.tokens.scope).toBe('profile email');
    const refreshed = await refreshTokens(t, RP, login.tokens.refresh_token as string);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body).not.toHaveProperty('id_token');
  });

  it('a silent SSO keeps the session auth_time and sid, with a new iat and the new nonce', async () => {
    const loginTime = clock.now();
    const login = await oidcLogin(t, RP);
    clock.advance(120);
    const again = await silentTokens(t, login.browser, RP, { prompt: 'none' });
    const { payload } = await verifyIdToken(t, again.idToken, 'rp', clock.now());
    expect(payload).toMatchObject({ sub: 'user-alice', auth_time: seconds(loginTime), sid: login.claims.sid, nonce: again.params.nonce, amr: ['pwd'] });
    expect(payload.iat).toBe(seconds(clock.now()));
    expect(payload.at_hash).toBe(expectedAtHash(again.tokens.access_token as string, 'ES256'));
  });

  it.each(CLIENTS)('a refresh of a %s client gives a new ID token: same iss, sub, aud, auth_time, sid; new iat; no nonce (27)', async (_kind, client) => {
    const login = await oidcLogin(t, client);
    clock.advance(300);
    const res = await refreshTokens(t, client, login.tokens.refresh_token as string);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { payload } = await verifyIdToken(t, res.body.id_token as string, client.clientId, clock.now());
    const { iss, sub, aud, auth_time, sid, amr } = login.claims;
    expect(payload).toMatchObject({ iss, sub, aud, auth_time, sid, amr });
    expect(payload.iat).toBe(login.claims.iat! + 300);
    expect(payload.exp).toBe(payload.iat! + ID_TOKEN_TTL);
    expect(payload).not.toHaveProperty('nonce');
    expect(payload.at_hash).toBe(expectedAtHash(res.body.access_token as string, 'ES256'));
    expect(res.body.access_token).not.toBe(login.tokens.access_token);
  });

  it('a refresh narrowed to scopes without openid gives no ID token, and the grant keeps openid (30)', async () => {
    const login = await oidcLogin(t, RP);
    const wider = await refreshTokens(t, RP, login.tokens.refresh_token as string, { scope: 'openid profile email phone' });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
    const narrowed = await refreshTokens(t, RP, login.tokens.refresh_token as string, { scope: 'profile' });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.body.scope).toBe('profile');
    expect(narrowed.body).not.toHaveProperty('id_token');
    const full = await refreshTokens(t, RP, narrowed.body.refresh_token as string);
    expect(full.status, full.text).toBe(200);
    expect(full.body.scope).toBe('openid profile email');
    expect((await verifyIdToken(t, full.body.id_token as string, 'rp', clock.now())).payload.sub).toBe('user-alice');
  });

  it('an ID token presented as a bearer token to a guarded route is 401 invalid_token; its access token passes (53)', async () => {
    const login = await oidcLogin(t, RP);
    const ok = await getMe(t.url, login.tokens.access_token as string);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ sub: 'user-alice', clientId: 'rp' });
    const confused = await getMe(t.url, login.idToken);
    expect(confused.status).toBe(401);
    expect(confused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(confused.text).not.toContain('user-alice');
  });
});

/**
 * `signing.algorithm` (Authlib catalogue 152; Core 3.1.3.6): ES256 (the default), RS256 and EdDSA each sign a
 * verifiable ID token with the published key and an `at_hash` of the algorithm's hash (SHA-512 half for EdDSA).
 */
describe.each(testMatrix())('ID token signing algorithms on %s/%s', (platform, db) => {
  it.each([
    ['ES256', 'EC'],
    ['RS256', 'RSA'],
    ['EdDSA', 'OKP'],
  ] as const)('%s', async (algorithm, kty) => {
    const t = await bootOidcApp(platform, db, { options: { signing: { algorithm, encryptionSecret: 'test-encryption-secret-0123456789abcdef' } } });
    try {
      for (const client of [RP, PUBLIC_RP]) {
        const login = await oidcLogin(t, client);
        const { header, payload } = await verifyIdToken(t, login.idToken, client.clientId);
        expect(header.alg).toBe(algorithm);
        expect(payload.at_hash).toBe(expectedAtHash(login.tokens.access_token as string, algorithm));
        expect(payload.at_hash).toHaveLength(algorithm === 'EdDSA' ? 43 : 22);
      }
      const jwks = await fetch(`${t.url}/oauth/jwks`).then((res) => res.json() as Promise<{ keys: { kty: string; alg?: string }[] }>);
      expect(jwks.keys.map((key) => key.kty)).toEqual([kty]);
    } finally {
      await t.close();
    }
  });
});

/** A host login controller (custom interaction mode) that logs alice in with a second factor. */
@Controller('host')
class StepUpLoginController {
  constructor(
    private readonly interactions: InteractionService,
    private readonly responder: PageResponder,
  ) {}

  @Post('login')
  async login(@Body() body: { interaction: string }, @Res() response: unknown) {
    await this.interactions.login(body.interaction, 'user-alice', { acr: 'urn:x:loa:2', amr: ['pwd', 'otp'] });
    await this.interactions.consent(body.interaction, { approved: true });
    this.responder.send(response, await this.interactions.finish(body.interaction));
  }
}

/**
 * `acr` and `amr` reported by the host's own login (`interaction.mode: 'custom'`, `InteractionService.login(id,
 * accountId, { acr, amr })`) reach the ID token (Core section 2; Authlib 151), and stay on refresh (Core 12.2) and
 * on a silent SSO from the session that login started.
 */
describe.each(testMatrix())('acr and amr from a custom login on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, {
      controllers: [StepUpLoginController],
      options: { interaction: { mode: 'custom', loginUrl: '/host/login' } },
    });
  });
  afterAll(() => t?.close());

  it('puts acr urn:x:loa:2 and amr [pwd, otp] in the ID token, its refresh, and the next silent one', async () => {
    const browser = new TestBrowser(t);
    const { verifier, challenge } = pkce();
    const params = oidcRequest(RP, challenge);
    const start = await browser.get(authorizePath(params));
    expect(start.status).toBe(303);
    const interaction = new URLSearchParams(start.headers.get('location')!.split('?')[1]).get('interaction')!;
    const done = await browser.post('/host/login', JSON.stringify({ interaction }), { 'content-type': 'application/json' });
    const code = clientRedirect(done, 'https://rp.test/cb').get('code')!;
    const res = await redeemCode(t, RP, code, verifier);
    expect(res.status, res.text).toBe(200);
    const { payload } = await verifyIdToken(t, res.body.id_token as string, 'rp');
    expect(payload).toMatchObject({ sub: 'user-alice', acr: 'urn:x:loa:2', amr: ['pwd', 'otp'], nonce: params.nonce });
    expect(payload.sid).toEqual(expect.any(String));

    const refreshed = await refreshTokens(t, RP, res.body.refresh_token as string);
    expect((await verifyIdToken(t, refreshed.body.id_token as string, 'rp')).payload).toMatchObject({ acr: 'urn:x:loa:2', amr: ['pwd', 'otp'], sid: payload.sid });

    const silent = await silentTokens(t, browser, RP, { prompt: 'none' });
    const again = (await verifyIdToken(t, silent.idToken, 'rp')).payload;
    expect(again).toMatchObject({ acr: 'urn:x:loa:2', amr: ['pwd', 'otp'], sid: payload.sid, auth_time: payload.auth_time });
  });
});
