import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationCodeStore } from '../../src/persistence/stores/authorization-code.store.js';
import { RateLimitStore } from '../../src/persistence/stores/rate-limit.store.js';
import { RefreshTokenStore } from '../../src/persistence/stores/refresh-token.store.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

/** The atomic operations the browser flows rely on: single-use codes, one rotation, counters. */
describe.each(testMatrix())('flow stores on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ platform, db });
  });
  afterAll(() => t?.close());

  it('consumes a code once, even when redeemed concurrently', async () => {
    const codes = t.app.get(AuthorizationCodeStore);
    const now = Date.now();
    await codes.insert({
      id: 'code-1', codeHash: 'a'.repeat(64), clientId: 'c', accountId: 'u', redirectUri: 'https://c/cb', redirectUriSent: true,
      scopes: ['a'], codeChallenge: null, codeChallengeMethod: null, nonce: null, authTime: now, createdAt: now, expiresAt: now + 60_000, consumedAt: null,
      sid: null, acr: null, amr: [], claims: null, resources: [], dpopJkt: null,
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => codes.consume('code-1', Date.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await codes.findByHash('a'.repeat(64)))?.scopes).toEqual(['a']);
  });

  it('rotates a refresh token once and revokes a family', async () => {
    const tokens = t.app.get(RefreshTokenStore);
    const now = Date.now();
    const row = { grantId: 'g1', clientId: 'c', accountId: 'u', scopes: [], authTime: now, issuedAt: now, expiresAt: now + 1000, grantExpiresAt: now + 2000, rotatedAt: null, revokedAt: null, sid: null, acr: null, amr: [], claims: null, resources: [], jkt: null };
    await tokens.insert({ ...row, id: 'rt-1', tokenHash: 'b'.repeat(64) });
    await tokens.insert({ ...row, id: 'rt-2', tokenHash: 'c'.repeat(64) });
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens.markRotated('rt-1', Date.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await tokens.revokeGrant('g1', Date.now())).toBe(2);
    expect(await tokens.markRotated('rt-2', Date.now())).toBe(false);
  });

  it('counts hits in a fixed window and starts a new window after it', async () => {
    const limits = t.app.get(RateLimitStore);
    const start = 1_000_000;
    expect(await limits.hit('k', start, 1000)).toBe(1);
    expect(await limits.hit('k', start + 10, 1000)).toBe(2);
    expect(await limits.hit('k', start + 20, 1000)).toBe(3);
    expect(await limits.hit('k', start + 1500, 1000)).toBe(1);
    await limits.reset('k');
    expect(await limits.hit('k', start + 1600, 1000)).toBe(1);
  });
});
