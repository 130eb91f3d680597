import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenPurgeService } from '../../src/index.js';
import { InteractionRecords } from '../../src/server/interaction/interaction-records.service.js';
import { LoginAttempts } from '../../src/server/interaction/login-attempts.service.js';
import { SessionService } from '../../src/server/interaction/session.service.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { inspectDatabase, type AuthnestTable, type DbInspector } from '../token-endpoint/db-inspector.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import {
  ALICE, codeTokens, bootGrantApp, expectActive, expectTokens, introspect, issueCode, redeem, redirectOf, refresh, revoke, WEB, type GrantApp,
} from './grant-helpers.js';

/**
 * Storage faults in the middle of the user grants, revocation and introspection (fault invariants FL1, FL2,
 * FL4, FL5), induced by renaming a table while the app runs; and the purge of expired rows (FL17).
 */
describe.each(testMatrix())('grant storage faults on %s/%s', (platform, db) => {
  let g: GrantApp;
  let t: TestApp;
  let store: DbInspector;

  beforeAll(async () => {
    // Login windows of different lengths: rate-limit counters are purged only after the longest.
    const loginRateLimit = { perAccount: { max: 10, window: 300 }, perAddress: { max: 50, window: 1200 } };
    g = await bootGrantApp(platform, db, { accessToken: { format: 'opaque' }, loginRateLimit });
    t = g.t;
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await g?.t.close();
  });

  /** Runs `send` while `table` is missing, then puts it back. */
  async function without<T>(table: AuthnestTable, send: () => Promise<T>): Promise<T> {
    await store.rename(table, `${table}_away`);
    try {
      return await send();
    } finally {
      await store.rename(`${table}_away`, table);
    }
  }

  it.each(['authnest_access_tokens', 'authnest_refresh_tokens'] as const)(
    'answers 500 when %s fails during a code exchange, and the code stays redeemable exactly once (FL1)',
    async (table) => {
      const issued = await issueCode(t, WEB);
      expectOAuthError(await without(table, () => redeem(t, WEB, issued)), 500, 'server_error');
      expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
    },
  );

  it('answers 500 when the access token cannot be stored during a refresh, and the refresh token stays usable (FL2)', async () => {
    const tokens = await codeTokens(t, WEB);
    expectOAuthError(await without('authnest_access_tokens', () => refresh(t, WEB, tokens.refresh_token!)), 500, 'server_error');
    const next = expectTokens(await refresh(t, WEB, tokens.refresh_token!), { refreshToken: true });
    await expectActive(t, next.refresh_token!);
  });

  it.each([
    ['a refresh token', 'authnest_refresh_tokens', 'refresh_token'],
    ['an access token', 'authnest_access_tokens', 'access_token'],
  ] as const)('answers 503 when storage fails while revoking %s, and the token stays valid for a retry (FL4)', async (_name, table, kind) => {
    const tokens = await codeTokens(t, WEB);
    const token = kind === 'refresh_token' ? tokens.refresh_token! : tokens.access_token;
    const res = await without(table, () => revoke(t, WEB, token, { token_type_hint: kind }));
    expectOAuthError(res, 503, 'temporarily_unavailable');
    await expectActive(t, token);
    expect((await revoke(t, WEB, token)).status).toBe(200);
    expect((await introspect(t, token)).body).toEqual({ active: false });
  });

  it('answers 503 when storage fails during introspection, never active (FL5)', async () => {
    const tokens = await codeTokens(t, WEB);
    const res = await without('authnest_access_tokens', () => introspect(t, tokens.access_token, { token_type_hint: 'access_token' }));
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(res.text).not.toContain('active');
  });

  it('purges expired codes, refresh tokens and access tokens, and nothing live (FL17)', async () => {
    const purge = t.app.get(TokenPurgeService);
    await purge.purgeExpired();
    const count = async () =>
      Object.fromEntries(
        await Promise.all(
          (['authnest_authorization_codes', 'authnest_refresh_tokens', 'authnest_access_tokens'] as const).map(async (table) => [table, await store.count(table)]),
        ),
      ) as Record<AuthnestTable, number>;
    g.clock.advance(1_209_601);
    await purge.purgeExpired();
    expect(await count()).toEqual({ authnest_authorization_codes: 0, authnest_refresh_tokens: 0, authnest_access_tokens: 0 });

    const live = await codeTokens(t, WEB);
    const pending = await issueCode(t, WEB);
    const before = await count();
    expect(await purge.purgeExpired()).toBe(0);
    expect(await count()).toEqual(before);
    await expectActive(t, live.refresh_token!);
    expectTokens(await redeem(t, WEB, pending), { refreshToken: true });

    g.clock.advance(3600);
    expect(await purge.purgeExpired()).toBe(4);
    expect(await count()).toMatchObject({ authnest_authorization_codes: 0, authnest_access_tokens: 0 });
    await expectActive(t, live.refresh_token!);
  });

  it('purges expired interactions and sessions, and rate-limit windows older than the longest window, and nothing live (FL17)', async () => {
    const purge = t.app.get(TokenPurgeService);
    const tables = ['authnest_interactions', 'authnest_sessions', 'authnest_rate_limits'] as const;
    const count = async () => Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await store.count(table)])));
    // Past every token and code of the tests above, so that what the purge counts below is this test's rows.
    g.clock.advance(1_209_601);
    await purge.purgeExpired();

    await t.app.get(InteractionRecords).create({
      clientId: WEB.id, redirectUri: redirectOf(WEB), redirectUriSent: true, responseMode: 'query', scopes: ['a'], prompt: [],
    });
    await t.app.get(SessionService).start({ accountId: ALICE, authTime: g.clock.now() });
    expect(await t.app.get(LoginAttempts).attempt(ALICE, 'wrong-password', '203.0.113.7')).toEqual({ outcome: 'invalid' });
    expect(await count()).toEqual({ authnest_interactions: 1, authnest_sessions: 1, authnest_rate_limits: 2 });
    expect(await purge.purgeExpired()).toBe(0);

    g.clock.advance(601); // past interaction.ttl (600 s)
    expect(await purge.purgeExpired()).toBe(1);
    expect(await count()).toEqual({ authnest_interactions: 0, authnest_sessions: 1, authnest_rate_limits: 2 });

    g.clock.advance(300); // past the per-account window (300 s), not the per-address one (1200 s): both counters stay
    expect(await purge.purgeExpired()).toBe(0);
    expect(await count()).toEqual({ authnest_interactions: 0, authnest_sessions: 1, authnest_rate_limits: 2 });

    g.clock.advance(300); // past the longest window
    expect(await purge.purgeExpired()).toBe(2);
    expect(await count()).toEqual({ authnest_interactions: 0, authnest_sessions: 1, authnest_rate_limits: 0 });

    g.clock.advance(85_200); // 86401 s after the login: past interaction.sessionTtl (86400 s)
    expect(await purge.purgeExpired()).toBe(1);
    expect(await count()).toEqual({ authnest_interactions: 0, authnest_sessions: 0, authnest_rate_limits: 0 });
  });
});
