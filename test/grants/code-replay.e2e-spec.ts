import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { inspectDatabase } from '../token-endpoint/db-inspector.js';
import { callApi, expectOAuthError } from '../token-endpoint/helpers.js';
import { bootGrantApp, expectActive, expectInactive, expectTokens, issueCode, redeem, refresh, SPA, WEB, type GrantApp } from './grant-helpers.js';

/**
 * Authorization code lifecycle (security checklist 18-20; Authlib 41 "ours:"): a code is redeemed once, a replay
 * is invalid_grant and revokes every token issued from the code (access tokens of both formats and the refresh
 * token family), and of N parallel redemptions exactly one answers 200. The losers of that race are replays
 * too, so the winner's token set ends up revoked: deterministic, as documented on AuthorizationCodeGrant.
 */
describe.each(testMatrix())('authorization code replay on %s/%s', (platform, db) => {
  describe.each(['opaque', 'jwt'] as const)('with %s access tokens', (format) => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { accessToken: { format } });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('redeems a code once; a repeat, at once or 30 s later, is invalid_grant (checklist 18)', async () => {
      const issued = await issueCode(t, WEB);
      expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
      g.clock.advance(30);
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
    });

    it('revokes the access and refresh tokens of the first redemption on replay (checklist 19, Authlib 41 ours)', async () => {
      const issued = await issueCode(t, WEB);
      const first = expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
      const rotated = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      await expectActive(t, first.access_token);
      await expectActive(t, rotated.access_token);
      expect((await callApi(t, '/api/any', first.access_token)).status).toBe(200);

      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');

      await expectInactive(t, first.access_token);
      await expectInactive(t, rotated.access_token);
      await expectInactive(t, rotated.refresh_token!);
      expectOAuthError(await refresh(t, WEB, rotated.refresh_token!), 400, 'invalid_grant');
      // Opaque tokens are refused by the local guard at once; a JWT verified before stays cached there for resource.jwtCacheTtl.
      expect((await callApi(t, '/api/any', first.access_token)).status).toBe(format === 'opaque' ? 401 : 200);
    });

    it('leaves tokens of other codes alone when one code is replayed', async () => {
      const other = expectTokens(await redeem(t, WEB, await issueCode(t, WEB)), { refreshToken: true });
      const issued = await issueCode(t, WEB);
      expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
      await expectActive(t, other.access_token);
      expectTokens(await refresh(t, WEB, other.refresh_token!), { refreshToken: true });
    });

    it('answers exactly one of 20 parallel redemptions with 200, the rest invalid_grant, and revokes that token set (checklist 20)', async () => {
      const issued = await issueCode(t, SPA);
      const responses = await Promise.all(Array.from({ length: 20 }, () => redeem(t, SPA, issued)));
      const winners = responses.filter((res) => res.status === 200);
      expect(winners, responses.map((res) => res.text).join('\n')).toHaveLength(1);
      for (const res of responses.filter((candidate) => candidate.status !== 200)) expectOAuthError(res, 400, 'invalid_grant');
      const tokens = expectTokens(winners[0]!, { refreshToken: true });
      await expectInactive(t, tokens.access_token);
      await expectInactive(t, tokens.refresh_token!);
      expectOAuthError(await refresh(t, SPA, tokens.refresh_token!), 400, 'invalid_grant');

      const inspector = await inspectDatabase(t.database);
      try {
        const live = (await inspector.rows('authnest_refresh_tokens')).filter((row) => row.revoked_at === null && row.client_id === SPA.id);
        expect(live).toHaveLength(0);
      } finally {
        await inspector.close();
      }
    });
  });
});
