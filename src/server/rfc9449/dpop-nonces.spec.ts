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

  it("accepts the next window's nonce within the leeway of its start: another instance's clock may run ahead", () => {
    const start = 60 * 20_000;
    let behind = start - 5;
    let ahead = start + 3; // 8 s ahead: already in the next window
    const here = new DpopNonces(key, 60, () => behind, 10);
    const there = new DpopNonces(key, 60, () => ahead, 10);
    expect(here.isValid(there.current())).toBe(true);
    expect(there.isValid(here.current())).toBe(true);
    behind = start - 11; // 14 s apart: beyond the leeway
    ahead = start + 3;
    expect(here.isValid(there.current())).toBe(false);
    const strict = new DpopNonces(key, 60, () => start - 1);
    expect(strict.isValid(there.current())).toBe(false);
  });

  it('agrees across instances with the same secret, and only with it', () => {
    const same = new DpopNonces(dpopNonceKey('a-secret-of-at-least-thirty-two-characters'), 60, () => now);
    const other = new DpopNonces(dpopNonceKey('another-secret-of-at-least-thirty-two-chars'), 60, () => now);
    expect(same.isValid(nonces.current())).toBe(true);
    expect(other.isValid(nonces.current())).toBe(false);
  });
});
