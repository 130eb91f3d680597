import { Controller, Get, HttpException, Query, Req } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClientError, OAuthSessionTokens, OAuthUserInfo, type BrowserRequest } from '../../src/index.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService } from '../support/test-accounts.js';
import { bootLoginRig, CLIENT_ID, CLIENT_SECRET, logIn, storeRows, type LoginRig } from './support/login-helpers.js';

/** The host's route that shows the signed-in user's UserInfo (`?fresh=1` reads the provider whatever the cache holds). */
@Controller('profile')
class ProfileController {
  constructor(
    private readonly userInfo: OAuthUserInfo,
    private readonly tokens: OAuthSessionTokens,
  ) {}

  @Get()
  async show(@Req() request: BrowserRequest, @Query('fresh') fresh?: string): Promise<Record<string, unknown>> {
    try {
      return { claims: (await this.userInfo.get(request, { fresh: fresh === '1' })) ?? null };
    } catch (error) {
      if (error instanceof OAuthClientError) throw new HttpException({ error: error.code }, 400);
      throw error;
    }
  }

  @Get('forget')
  async forget(@Req() request: BrowserRequest): Promise<{ ok: true }> {
    await this.userInfo.forget(request);
    return { ok: true };
  }

  @Get('token')
  async token(@Req() request: BrowserRequest): Promise<{ token: string | null }> {
    return { token: (await this.tokens.accessToken(request)) ?? null };
  }
}

/**
 * The signed-in user's UserInfo cache (`OAuthUserInfo`, option `userInfoTtl`), in the client store beside the
 * session: filled at login, served until the TTL, read again after it or with `fresh`, re-read with refreshed
 * tokens when UserInfo answers 401, checked for the session's `sub`, and gone with the session.
 */
describe.each(testMatrix())('OAuth client: the user-info cache on %s/%s', (platform, db) => {
  let rig: LoginRig;
  const userInfoReads = () => rig.proxy.count('/oauth/userinfo');

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db, { userInfoTtl: 300, controllers: [ProfileController] });
  });
  afterEach(() => rig.reset());
  afterAll(async () => {
    await rig?.close();
  });

  async function signedIn() {
    const browser = rig.browser();
    const { done } = await logIn(rig, browser);
    expect(done.status, done.text).toBe(303);
    return browser;
  }

  it('serves what login read for userInfoTtl seconds, then reads UserInfo again; fresh=1 reads it at once', async () => {
    const browser = await signedIn();
    const reads = userInfoReads();
    const first = await browser.get(`${rig.appUrl}/profile`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.claims).toMatchObject({ sub: 'user-alice', email: 'alice@example.com' });
    rig.tamper.set('/oauth/userinfo', (answer) => ({ ...answer, name: 'Alice Renamed' }));
    rig.clock.advance(299);
    expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).not.toHaveProperty('name', 'Alice Renamed');
    expect(userInfoReads()).toBe(reads);
    rig.clock.advance(2);
    expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ name: 'Alice Renamed' });
    expect(userInfoReads()).toBe(reads + 1);
    rig.tamper.set('/oauth/userinfo', (answer) => ({ ...answer, name: 'Alice Again' }));
    expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ name: 'Alice Renamed' });
    expect((await browser.get(`${rig.appUrl}/profile?fresh=1`)).body.claims).toMatchObject({ name: 'Alice Again' });
    expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ name: 'Alice Again' });
    expect(userInfoReads()).toBe(reads + 2);
    await browser.get(`${rig.appUrl}/profile/forget`);
    await browser.get(`${rig.appUrl}/profile`);
    expect(userInfoReads()).toBe(reads + 3);
  });

  it('keeps one cache per session: another user signed in elsewhere sees their own claims', async () => {
    const alice = await signedIn();
    const bob = rig.browser();
    expect((await logIn(rig, bob, { username: 'bob' })).done.status).toBe(303);
    expect((await alice.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ sub: 'user-alice' });
    expect((await bob.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ sub: 'user-bob' });
  });

  it('refreshes the tokens once and reads again when UserInfo refuses the access token (revoked at the provider)', async () => {
    const browser = await signedIn();
    const token = (await browser.get(`${rig.appUrl}/profile/token`)).body.token as string;
    const revoked = await postForm(`${rig.provider.url}/oauth/revoke`, { token, token_type_hint: 'access_token' }, { authorization: basic(CLIENT_ID, CLIENT_SECRET) });
    expect(revoked.status).toBe(200);
    const refreshes = () => rig.proxy.exchangesFor('/oauth/token').filter((e) => new URLSearchParams(e.body).get('grant_type') === 'refresh_token').length;
    const before = refreshes();
    const res = await browser.get(`${rig.appUrl}/profile?fresh=1`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.claims).toMatchObject({ sub: 'user-alice' });
    expect(refreshes()).toBe(before + 1);
    expect((await browser.get(`${rig.appUrl}/profile/token`)).body.token).not.toBe(token);
  });

  it('answers invalid_userinfo when UserInfo names another sub, and caches nothing of it', async () => {
    const browser = await signedIn();
    rig.tamper.set('/oauth/userinfo', (answer) => ({ ...answer, sub: 'user-mallory', email: 'mallory@example.com' }));
    const res = await browser.get(`${rig.appUrl}/profile?fresh=1`);
    expect([res.status, res.body]).toEqual([400, { error: 'invalid_userinfo' }]);
    rig.reset();
    expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ sub: 'user-alice', email: 'alice@example.com' });
  });

  it('answers unavailable when UserInfo is down, and the session stays', async () => {
    const browser = await signedIn();
    rig.proxy.only = '/oauth/userinfo';
    rig.proxy.mode = 'error';
    const res = await browser.get(`${rig.appUrl}/profile?fresh=1`);
    expect([res.status, res.body]).toEqual([400, { error: 'unavailable' }]);
    rig.reset();
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(200);
    expect((await browser.get(`${rig.appUrl}/profile?fresh=1`)).status).toBe(200);
  });

  it('answers null without a session, and the cache goes with the session at logout', async () => {
    expect((await rig.browser().get(`${rig.appUrl}/profile`)).body).toEqual({ claims: null });
    const browser = await signedIn();
    const rows = (await storeRows(rig.clientDatabase)).length;
    await browser.get(`${rig.appUrl}/profile`);
    expect((await storeRows(rig.clientDatabase)).length).toBe(rows);
    const out = await browser.post(`${rig.appUrl}/logout`, {});
    expect(out.status).toBe(303);
    expect((await storeRows(rig.clientDatabase)).length).toBe(rows - 2); // the session and its UserInfo
    expect((await browser.get(`${rig.appUrl}/profile`)).body).toEqual({ claims: null });
  });

  it('goes with the session when a refused refresh ends it', async () => {
    const browser = await signedIn();
    const rows = (await storeRows(rig.clientDatabase)).length;
    const accounts = rig.provider.app.get(InMemoryAccountService);
    accounts.setActive('user-alice', false);
    try {
      rig.clock.advance(3600);
      const res = await browser.get(`${rig.appUrl}/profile?fresh=1`);
      expect(res.body).toEqual({ claims: null });
      expect((await storeRows(rig.clientDatabase)).length).toBe(rows - 2);
    } finally {
      accounts.setActive('user-alice', true);
    }
  });
});

describe.each(testMatrix())('OAuth client: userInfoTtl 0 on %s/%s', (platform, db) => {
  let rig: LoginRig;

  beforeAll(async () => {
    rig = await bootLoginRig(platform, db, { userInfoTtl: 0, controllers: [ProfileController] });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('reads UserInfo on every call and stores none of it', async () => {
    const browser = rig.browser();
    expect((await logIn(rig, browser)).done.status).toBe(303);
    const rows = (await storeRows(rig.clientDatabase)).length;
    expect(rows).toBe(1); // the session only
    const reads = rig.proxy.count('/oauth/userinfo');
    for (let i = 0; i < 3; i += 1) expect((await browser.get(`${rig.appUrl}/profile`)).body.claims).toMatchObject({ sub: 'user-alice' });
    expect(rig.proxy.count('/oauth/userinfo')).toBe(reads + 3);
    expect((await storeRows(rig.clientDatabase)).length).toBe(1);
  });
});
