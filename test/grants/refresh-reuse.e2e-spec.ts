import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { callApi, expectOAuthError } from '../token-endpoint/helpers.js';
import { bootGrantApp, codeTokens, expectActive, expectInactive, expectTokens, refresh, revoke, SPA, WEB, type GrantApp } from './grant-helpers.js';

/**
 * Refresh token reuse (security checklist 28, 32; fault invariant FL3). Without a grace window any reuse of a
 * rotated token revokes the family, and of N parallel refreshes of one token exactly one answers 200, the rest
 * invalid_grant, and the family (the winner's tokens included) ends revoked. With a grace window a rotated token
 * presented again within it gets fresh tokens in the same family; after the window it revokes the family.
 */
describe.each(testMatrix())('refresh token reuse on %s/%s', (platform, db) => {
  describe('without a grace window (refreshToken.reuseGrace 0)', () => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { accessToken: { format: 'opaque' }, refreshToken: { reuseGrace: 0 } });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('revokes the whole family when a rotated token is replayed: RT1 -> RT2 -> RT3, RT1 again (checklist 28)', async () => {
      const rt1 = await codeTokens(t, WEB);
      const rt2 = expectTokens(await refresh(t, WEB, rt1.refresh_token!), { refreshToken: true });
      const rt3 = expectTokens(await refresh(t, WEB, rt2.refresh_token!), { refreshToken: true });
      expectOAuthError(await refresh(t, WEB, rt1.refresh_token!), 400, 'invalid_grant');
      expectOAuthError(await refresh(t, WEB, rt3.refresh_token!), 400, 'invalid_grant');
      for (const token of [rt1.access_token, rt2.access_token, rt3.access_token]) await expectInactive(t, token);
      expect((await callApi(t, '/api/any', rt3.access_token)).status).toBe(401);
    });

    it('keeps a revoked family revoked: no token of it works again, later or after any amount of time', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      expectOAuthError(await refresh(t, WEB, first.refresh_token!), 400, 'invalid_grant');
      g.clock.advance(5);
      for (const token of [first.refresh_token!, second.refresh_token!]) expectOAuthError(await refresh(t, WEB, token), 400, 'invalid_grant');
    });

    it('answers exactly one of 20 parallel refreshes with 200, the rest invalid_grant, and revokes the family (FL3)', async () => {
      const start = await codeTokens(t, SPA);
      const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(t, SPA, start.refresh_token!)));
      const winners = responses.filter((res) => res.status === 200);
      expect(winners, responses.map((res) => `${res.status} ${res.text}`).join('\n')).toHaveLength(1);
      for (const res of responses.filter((candidate) => candidate.status !== 200)) expectOAuthError(res, 400, 'invalid_grant');
      const won = expectTokens(winners[0]!, { refreshToken: true });
      await expectInactive(t, won.refresh_token!);
      await expectInactive(t, won.access_token);
      expectOAuthError(await refresh(t, SPA, won.refresh_token!), 400, 'invalid_grant');
    });

    it('revokes the family through the revocation endpoint (checklist 32)', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      expect((await revoke(t, WEB, second.refresh_token!)).status).toBe(200);
      expectOAuthError(await refresh(t, WEB, second.refresh_token!), 400, 'invalid_grant');
      await expectInactive(t, first.access_token);
      await expectInactive(t, second.access_token);
    });
  });

  describe('with a grace window of 30 s', () => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { accessToken: { format: 'opaque' }, refreshToken: { reuseGrace: 30 } });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('answers a rotated token presented again within the window with fresh tokens, revoking nothing', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      g.clock.advance(30);
      const retry = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      expect(new Set([first.refresh_token, second.refresh_token, retry.refresh_token]).size).toBe(3);
      await expectActive(t, second.refresh_token!);
      await expectActive(t, retry.refresh_token!);
      await expectActive(t, second.access_token);
      expectTokens(await refresh(t, WEB, second.refresh_token!), { refreshToken: true });
      expectTokens(await refresh(t, WEB, retry.refresh_token!), { refreshToken: true });
    });

    it('revokes the family when the rotated token comes back after the window (checklist 28)', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      g.clock.advance(31);
      expectOAuthError(await refresh(t, WEB, first.refresh_token!), 400, 'invalid_grant');
      expectOAuthError(await refresh(t, WEB, second.refresh_token!), 400, 'invalid_grant');
      await expectInactive(t, second.access_token);
    });

    it('never accepts an expired token inside the window (checklist 28)', async () => {
      const first = await codeTokens(t, WEB);
      g.clock.advance(1_209_600 - 10);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      g.clock.advance(10);
      expectOAuthError(await refresh(t, WEB, first.refresh_token!), 400, 'invalid_grant');
      // Refused for its age, not as reuse: the family lives on.
      expectTokens(await refresh(t, WEB, second.refresh_token!), { refreshToken: true });
    });

    it('never revives a revoked family inside the window', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      expect((await revoke(t, WEB, second.refresh_token!)).status).toBe(200);
      expectOAuthError(await refresh(t, WEB, first.refresh_token!), 400, 'invalid_grant');
    });

    it('answers all of 20 parallel refreshes of one token with distinct valid tokens, never a 500 (FL3)', async () => {
      const start = await codeTokens(t, SPA);
      const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(t, SPA, start.refresh_token!)));
      expect(responses.map((res) => res.status), responses.map((res) => res.text).join('\n')).toEqual(Array(20).fill(200));
      const issued = responses.map((res) => expectTokens(res, { refreshToken: true }));
      expect(new Set(issued.map((tokens) => tokens.refresh_token)).size).toBe(20);
      expect(new Set(issued.map((tokens) => tokens.access_token)).size).toBe(20);
      for (const tokens of issued.slice(0, 3)) {
        await expectActive(t, tokens.access_token);
        expectTokens(await refresh(t, SPA, tokens.refresh_token!), { refreshToken: true });
      }
    });
  });
});
