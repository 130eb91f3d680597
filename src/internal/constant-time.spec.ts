import { describe, expect, it } from 'vitest';
import { constantTimeEqual, sameDigest } from './constant-time.js';

describe('constantTimeEqual', () => {
  it('is true only for identical strings', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret ')).toBe(false);
  });

  it('compares strings of different lengths without throwing', () => {
    expect(constantTimeEqual('a', 'a'.repeat(10_000))).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });

  it('compares UTF-8 text, not UTF-16 code units', () => {
    expect(constantTimeEqual('caf\u00e9', 'cafe\u0301')).toBe(false);
    expect(constantTimeEqual('\u{1f511}', '\u{1f511}')).toBe(true);
  });
});

describe('sameDigest', () => {
  const a = 'a'.repeat(64);
  it('is true only for the same digest', () => {
    expect(sameDigest(a, 'a'.repeat(64))).toBe(true);
    expect(sameDigest(a, `${'a'.repeat(63)}b`)).toBe(false);
  });

  it('is false for digests of different lengths, without throwing', () => {
    expect(sameDigest(a, 'a'.repeat(63))).toBe(false);
    expect(sameDigest('', a)).toBe(false);
  });
});
