import { describe, expect, it } from 'vitest';
import { dpopNonceKey, DpopNonces } from './dpop-nonces.js';

describe('DpopNonces', () => {
  const key = dpopNonceKey('a-secret-of-at-least-thirty-two-characters');
  let now = 1_000_000;
  const nonces = new DpopNonces(key, 60, () => now);

  it('accepts the current and the previous window\'s nonce, nothing older, nothing made up', () => {
    const first = nonces.current();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonces.isValid(first)).toBe(true);
    now += 60;
    expect(nonces.current()).not.toBe(first);
    expect(nonces.isValid(first)).toBe(true);
    now += 60;
    expect(nonces.isValid(first)).toBe(false);
    expect(nonces.isValid(undefined)).toBe(false);
    expect(nonces.isValid('A'.repeat(43))).toBe(false);
  });

  it('agrees across instances with the same secret, and only with it', () => {
    const same = new DpopNonces(dpopNonceKey('a-secret-of-at-least-thirty-two-characters'), 60, () => now);
    const other = new DpopNonces(dpopNonceKey('another-secret-of-at-least-thirty-two-chars'), 60, () => now);
    expect(same.isValid(nonces.current())).toBe(true);
    expect(other.isValid(nonces.current())).toBe(false);
  });
});
