import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, PUBLIC_RP, refreshTokens, userinfo, type OidcLogin } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { expectSessionCleared, INTROSPECTOR, introspect, LOGOUT_RP, logoutPath, signIn } from './support/logout-helpers.js';

/** What a client holds after a login: its tokens, and the refresh token to use next. */
interface Held {
  client: ClientSeed;
  login: OidcLogin;
  accessToken: string;
  refreshToken: string;
}

function held(client: ClientSeed, login: OidcLogin): Held {
  return { client, login, accessToken: login.tokens.access_token as string, refreshToken: login.tokens.refresh_token as string };
}

async function expectLive(t: TestApp, h: Held, label: string): Promise<void> {
  expect((await introspect(t, h.accessToken)).body.active, label).toBe(true);
  expect((await userinfo(t, h.accessToken)).status, label).toBe(200);
}

async function expectRevoked(t: TestApp, h: Held, label: string): Promise<void> {
  const refreshed = await refreshTokens(t, h.client, h.refreshToken);
  expect(refreshed.status, label).toBe(400);
  expect(refreshed.body.error, label).toBe('invalid_grant');
  expect((await introspect(t, h.accessToken)).body, label).toEqual({ active: false });
  const info = await userinfo(t, h.accessToken);
  expect(info.status, label).toBe(401);
  expect(info.headers.get('www-authenticate'), label).toContain('error="invalid_token"');
}

/**
 * What a logout ends (checklist 32 "logout with revoke on logout"; OpenID Connect Core 1.0 section 11 on
 * `offline_access`): every grant made in the ended login session loses its refresh tokens (also those already
 * rotated: `invalid_grant`) and its access tokens (introspection inactive, UserInfo 401 invalid_token), for every
 * client of the session; a grant with `offline_access` outlives the session (its refresh token keeps working);
 * grants of another session of the same user are untouched.
 */
describe.each(testMatrix())('logout effects on tokens on %s/%s', (platform, db) => {
  let t: TestApp;
  let rp: Held;
  let rotated: Held;
  let publicRp: Held;
  let offline: Held;
  let otherSession: Held;

  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clients: [LOGOUT_RP, PUBLIC_RP, INTROSPECTOR] });
    // One session of alice with three grants: RP (refreshed once), the public RP, and RP again with offline_access.
    rp = held(LOGOUT_RP, await signIn(t, LOGOUT_RP));
    const { browser } = rp.login;
    rotated = held(LOGOUT_RP, await signIn(t, LOGOUT_RP, { browser }));
    const refreshed = await refreshTokens(t, LOGOUT_RP, rotated.refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
    rotated = { ...rotated, accessToken: refreshed.body.access_token as string, refreshToken: refreshed.body.refresh_token as string };
    publicRp = held(PUBLIC_RP, await signIn(t, PUBLIC_RP, { browser }));
    offline = held(LOGOUT_RP, await signIn(t, LOGOUT_RP, { browser, extra: { scope: 'openid profile offline_access', prompt: 'consent' } }));
    expect(offline.login.tokens.scope).toBe('openid profile offline_access');
    expect(new Set([rp, rotated, publicRp, offline].map((h) => h.login.claims.sid)).size).toBe(1);
    // Another session of alice (another browser).
    otherSession = held(LOGOUT_RP, await signIn(t, LOGOUT_RP));
    expect(otherSession.login.claims.sid).not.toBe(rp.login.claims.sid);

    for (const [label, h] of Object.entries({ rp, rotated, publicRp, offline, otherSession })) await expectLive(t, h, `${label} before logout`);
    const res = await browser.get(logoutPath({ id_token_hint: rp.login.idToken }));
    expect(res.status, res.text).toBe(200);
    expectSessionCleared(res);
  });
  afterAll(() => t?.close());

  it('revokes the refresh and access tokens of every grant of the session, rotated ones included (checklist 32)', async () => {
    await expectRevoked(t, rp, 'rp');
    await expectRevoked(t, rotated, 'rp, refreshed once');
    await expectRevoked(t, publicRp, 'public rp');
  });

  it('keeps a grant with offline_access: its access token stays active and its refresh token keeps working (Core 11)', async () => {
    await expectLive(t, offline, 'offline');
    const refreshed = await refreshTokens(t, LOGOUT_RP, offline.refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.scope).toBe('openid profile offline_access');
    const next: Held = { ...offline, accessToken: refreshed.body.access_token as string, refreshToken: refreshed.body.refresh_token as string };
    await expectLive(t, next, 'offline, refreshed after logout');
    expect((await refreshTokens(t, LOGOUT_RP, next.refreshToken)).status).toBe(200);
  });

  it("leaves the grants of alice's other session untouched", async () => {
    await expectLive(t, otherSession, 'other session');
    const refreshed = await refreshTokens(t, LOGOUT_RP, otherSession.refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
  });
});
