import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { bootGrantApp, codeTokens, expectActive, expectTokens, refresh, WEB, type GrantApp } from './grant-helpers.js';

const IDLE = 3600;
const ABSOLUTE = 7200;

/**
 * Refresh token lifetimes (security checklist 31): a token unused for `refreshToken.ttl` seconds is dead, and no
 * rotation carries a family past `refreshToken.absoluteTtl` seconds from its first token.
 */
describe.each(testMatrix())('refresh token lifetimes on %s/%s', (platform, db) => {
  let g: GrantApp;
  let t: TestApp;

  beforeAll(async () => {
    g = await bootGrantApp(platform, db, { refreshToken: { ttl: IDLE, absoluteTtl: ABSOLUTE, reuseGrace: 0 } });
    t = g.t;
  });
  afterAll(() => g?.t.close());

  it('accepts a token until its idle lifetime ends and refuses it from then on', async () => {
    const early = await codeTokens(t, WEB);
    const late = await codeTokens(t, WEB);
    g.clock.advance(IDLE - 1);
    expectTokens(await refresh(t, WEB, early.refresh_token!), { refreshToken: true });
    g.clock.advance(1);
    expectOAuthError(await refresh(t, WEB, late.refresh_token!), 400, 'invalid_grant');
  });

  it('starts a new idle period with each rotation, but never past the absolute lifetime', async () => {
    const start = g.clock.now();
    let token = (await codeTokens(t, WEB)).refresh_token!;
    for (const at of [3000, 6000, 7100]) {
      g.clock.advance(at - (g.clock.now() - start) / 1000);
      token = expectTokens(await refresh(t, WEB, token), { refreshToken: true }).refresh_token!;
    }
    expect((await expectActive(t, token)).exp).toBe(Math.floor((start + ABSOLUTE * 1000) / 1000));
    g.clock.advance(ABSOLUTE - 7100);
    expectOAuthError(await refresh(t, WEB, token), 400, 'invalid_grant');
  });
});
