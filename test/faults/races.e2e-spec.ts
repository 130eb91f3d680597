import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeTokens, expectActive, expectInactive, expectTokens, issueCode, redeem, refresh, SPA, type UserTokens } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { callApi, expectOAuthError } from '../token-endpoint/helpers.js';
import { liveRowsOf, readLedger, type Ledger } from './ledger.js';
import { hashOf } from './outage-load.js';
import { bootTwoInstances, outcomes, spreadOver, type TwoInstances } from './two-instances.js';

/** The rows of the family a refresh token belongs to. */
function familyOf(ledger: Ledger, refreshToken: string): { grantId: unknown; access: Record<string, unknown>[]; refresh: Record<string, unknown>[] } {
  const grantId = ledger.refresh.find((row) => row.token_hash === hashOf(refreshToken))?.grant_id;
  expect(grantId).toBeDefined();
  return { grantId, access: ledger.access.filter((row) => row.grant_id === grantId), refresh: ledger.refresh.filter((row) => row.grant_id === grantId) };
}

/**
 * Races over two app instances on one database (a shared SQLite file, or one PostgreSQL schema), as behind a load
 * balancer (security checklist 20; FL3, FL7; CVE-2026-1035): 100 concurrent requests for one grant, every other one
 * at the other instance.
 *
 * - One authorization code: exactly one 200, 99 `invalid_grant`. As AuthorizationCodeGrant documents, a loser is a
 *   replay and revokes the grant, the winner's tokens included (stored before the winner consumed the code, which was
 *   before the loser's failed consume): the code ends consumed, no row of the grant live, both instances refuse them.
 * - One refresh token without a grace window: exactly one 200, and, as RefreshTokenGrant documents, the losers' reuse
 *   revokes the family: every refresh and access row of it ends revoked, the winner's included.
 * - One refresh token with a grace window: every answer a distinct valid token set in the same family, never a 5xx.
 *   The window is bounded in time only (authnest has no count limit): the family then holds one live refresh token per
 *   answer, each one a token a client received (no orphan rows), and the rotated token presented after the window
 *   revokes them all.
 */
describe.each(testMatrix())('grant races over two instances on %s/%s', (platform, db) => {
  describe('without a grace window (refreshToken.reuseGrace 0)', () => {
    let two: TwoInstances;

    beforeAll(async () => {
      two = await bootTwoInstances(platform, db, { accessToken: { format: 'opaque' }, refreshToken: { reuseGrace: 0 } });
    });
    afterAll(() => two?.close());

    it('redeems one code 100 times at once: exactly one 200, 99 invalid_grant, and the whole grant revoked, the winner included', async () => {
      const issued = await issueCode(two.a, SPA);
      const responses = await spreadOver(two, 100, (t) => redeem(t, SPA, issued));
      expect(outcomes(responses)).toEqual({ '200': 1, '400 invalid_grant': 99 });
      for (const res of responses.filter((candidate) => candidate.status !== 200)) expectOAuthError(res, 400, 'invalid_grant');
      const won = expectTokens(responses.find((res) => res.status === 200)!, { refreshToken: true });

      const ledger = await readLedger(two.a.database);
      const code = ledger.codes.find((row) => row.code_hash === hashOf(issued.code))!;
      expect(code.consumed_at).not.toBeNull();
      expect(liveRowsOf(ledger, code.id)).toEqual({ access: [], refresh: [] });
      // The winner's rows are stored, and revoked.
      expect(ledger.access.find((row) => row.id === won.access_token.slice(0, 22))).toMatchObject({ grant_id: code.id, revoked_at: expect.anything() });
      expect(ledger.refresh.find((row) => row.token_hash === hashOf(won.refresh_token!))).toMatchObject({ grant_id: code.id, revoked_at: expect.anything() });

      for (const t of [two.a, two.b]) {
        await expectInactive(t, won.access_token);
        await expectInactive(t, won.refresh_token!);
        expect((await callApi(t, '/api/any', won.access_token)).status).toBe(401);
        expectOAuthError(await refresh(t, SPA, won.refresh_token!), 400, 'invalid_grant');
        expectOAuthError(await redeem(t, SPA, issued), 400, 'invalid_grant');
      }
    });

    it('refreshes one token 100 times at once: exactly one 200, the rest invalid_grant, and every row of the family revoked', async () => {
      const start = await codeTokens(two.a, SPA);
      const responses = await spreadOver(two, 100, (t) => refresh(t, SPA, start.refresh_token!));
      expect(outcomes(responses)).toEqual({ '200': 1, '400 invalid_grant': 99 });
      for (const res of responses.filter((candidate) => candidate.status !== 200)) expectOAuthError(res, 400, 'invalid_grant');
      const won = expectTokens(responses.find((res) => res.status === 200)!, { refreshToken: true });

      const family = familyOf(await readLedger(two.a.database), start.refresh_token!);
      expect(family.refresh.map((row) => row.token_hash)).toEqual(expect.arrayContaining([hashOf(start.refresh_token!), hashOf(won.refresh_token!)]));
      expect(family.refresh.filter((row) => row.revoked_at === null)).toEqual([]);
      expect(family.access.filter((row) => row.revoked_at === null)).toEqual([]);
      expect(family.access.map((row) => row.id)).toEqual(expect.arrayContaining([start.access_token.slice(0, 22), won.access_token.slice(0, 22)]));

      for (const t of [two.a, two.b]) {
        await expectInactive(t, won.refresh_token!);
        await expectInactive(t, won.access_token);
        expect((await callApi(t, '/api/any', won.access_token)).status).toBe(401);
        expectOAuthError(await refresh(t, SPA, won.refresh_token!), 400, 'invalid_grant');
      }
    });
  });

  describe('with a grace window of 30 s', () => {
    let two: TwoInstances;

    beforeAll(async () => {
      two = await bootTwoInstances(platform, db, { accessToken: { format: 'opaque' }, refreshToken: { reuseGrace: 30 } });
    });
    afterAll(() => two?.close());

    it('refreshes one token 100 times at once: all 200 with distinct valid tokens of the family, no orphan row, all revoked on reuse after the window', async () => {
      const start = await codeTokens(two.a, SPA);
      const responses = await spreadOver(two, 100, (t) => refresh(t, SPA, start.refresh_token!));
      expect(outcomes(responses)).toEqual({ '200': 100 });
      const issued: UserTokens[] = responses.map((res) => expectTokens(res, { refreshToken: true }));
      expect(new Set(issued.map((tokens) => tokens.refresh_token)).size).toBe(100);
      expect(new Set(issued.map((tokens) => tokens.access_token)).size).toBe(100);

      const family = familyOf(await readLedger(two.a.database), start.refresh_token!);
      const received = new Set(issued.map((tokens) => hashOf(tokens.refresh_token!)));
      // The presented token is rotated; every other row is one a client received, live.
      const original = family.refresh.find((row) => row.token_hash === hashOf(start.refresh_token!))!;
      expect(original).toMatchObject({ rotated_at: expect.anything(), revoked_at: null });
      const successors = family.refresh.filter((row) => row !== original);
      expect(successors.map((row) => row.token_hash).sort()).toEqual([...received].sort());
      expect(successors.every((row) => row.rotated_at === null && row.revoked_at === null)).toBe(true);
      const accessIds = new Set([start.access_token, ...issued.map((tokens) => tokens.access_token)].map((token) => token.slice(0, 22)));
      expect(family.access.every((row) => accessIds.has(row.id as string))).toBe(true);
      expect(family.access).toHaveLength(101);

      // Valid at either instance: introspection, the guarded route, a further refresh.
      for (const [index, tokens] of issued.slice(0, 4).entries()) {
        const t = index % 2 === 0 ? two.b : two.a;
        await expectActive(t, tokens.access_token);
        expect((await callApi(t, '/api/any', tokens.access_token)).status).toBe(200);
      }
      const further = expectTokens(await refresh(two.b, SPA, issued[0]!.refresh_token!), { refreshToken: true });

      two.clock.advance(31);
      expectOAuthError(await refresh(two.a, SPA, start.refresh_token!), 400, 'invalid_grant');
      const after = familyOf(await readLedger(two.a.database), start.refresh_token!);
      expect(after.refresh.filter((row) => row.revoked_at === null)).toEqual([]);
      expect(after.access.filter((row) => row.revoked_at === null)).toEqual([]);
      await expectInactive(two.b, further.refresh_token!);
    });
  });
});
