import { describe, expect, it } from 'vitest';
import { randomToken, timeOrderedId } from './random.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

describe('randomToken', () => {
  it('gives base64url strings of the asked length, none repeated across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const token = randomToken();
      expect(token).toMatch(BASE64URL);
      expect(token).toHaveLength(43);
      seen.add(token);
    }
    expect(seen.size).toBe(5_000);
    expect(randomToken(16)).toHaveLength(22);
  });

  it('serves requests larger than its pool', () => {
    expect(Buffer.from(randomToken(10_000), 'base64url')).toHaveLength(10_000);
  });

  it('never hands out the same bytes twice, even with odd sizes that straddle a refill', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3_000; i++) seen.add(randomToken(7 + (i % 13)));
    expect(seen.size).toBe(3_000);
  });
});

describe('timeOrderedId', () => {
  it('is 22 base64url characters (16 bytes) that start with the millisecond clock', () => {
    const id = timeOrderedId(10, 1_780_000_000_123);
    expect(id).toMatch(BASE64URL);
    expect(id).toHaveLength(22);
    expect(Buffer.from(id, 'base64url').readUIntBE(0, 6)).toBe(1_780_000_000_123);
  });

  it('differs for the same millisecond (80 random bits)', () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => timeOrderedId(10, 5)));
    expect(ids.size).toBe(1_000);
  });

  it('shares its leading characters with ids of the same moment, so index inserts stay together', () => {
    const a = timeOrderedId(10, 1_780_000_000_000);
    const b = timeOrderedId(10, 1_780_000_000_001);
    expect(a.slice(0, 7)).toBe(b.slice(0, 7));
  });
});
