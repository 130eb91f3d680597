import { describe, expect, it } from 'vitest';
import { formatUserCode, generateUserCode, normalizeUserCode, USER_CODE_ALPHABET, userCodeHash } from './user-code.js';

describe('user codes (RFC 8628 section 6.1)', () => {
  it('uses 20 consonants without vowels or look-alikes', () => {
    expect(USER_CODE_ALPHABET).toHaveLength(20);
    expect(new Set(USER_CODE_ALPHABET).size).toBe(20);
    for (const absent of 'AEIOUY01'.split('')) expect(USER_CODE_ALPHABET).not.toContain(absent);
  });

  it('draws every character of the alphabet, and only those', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const code = generateUserCode(8);
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const char of code) seen.add(char);
    }
    expect(seen.size).toBe(20);
    expect(generateUserCode(12)).toHaveLength(12);
  });

  it('is shown in groups of four', () => {
    expect(formatUserCode('WDJBMJHT')).toBe('WDJB-MJHT');
    expect(formatUserCode('WDJBMJHTBCDF')).toBe('WDJB-MJHT-BCDF');
    expect(formatUserCode('WDJBMJHTB')).toBe('WDJB-MJHT-B');
  });

  it.each([
    ['WDJB-MJHT', 'WDJBMJHT'],
    ['wdjb-mjht', 'WDJBMJHT'],
    [' wdjb mjht ', 'WDJBMJHT'],
    ['WD-JB--MJ HT', 'WDJBMJHT'],
    ['WDJB\tMJHT', 'WDJBMJHT'],
  ])('normalises %j to %s (case-insensitive, dashes and spaces ignored)', (input, normalized) => {
    expect(normalizeUserCode(input, 8)).toBe(normalized);
  });

  it.each(['WDJB-MJH', 'WDJB-MJHTB', 'WDJB-MJHA', 'WDJB_MJHT', 'WDJB-MJH1', '', `${'B'.repeat(8)}${' '.repeat(60)}`, 'ÄDJB-MJHT', 'ßDJB-MJH'])(
    'refuses %j',
    (input) => {
      expect(normalizeUserCode(input, 8)).toBeUndefined();
    },
  );

  it('hashes with the key: another key, another hash, and never the code itself', () => {
    const a = userCodeHash(Buffer.alloc(32, 1), 'WDJBMJHT');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(userCodeHash(Buffer.alloc(32, 1), 'WDJBMJHT')).toBe(a);
    expect(userCodeHash(Buffer.alloc(32, 2), 'WDJBMJHT')).not.toBe(a);
    expect(userCodeHash(Buffer.alloc(32, 1), 'WDJBMJHB')).not.toBe(a);
  });
});
