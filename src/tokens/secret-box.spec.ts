import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

const SECRET = 'unit-test-encryption-secret-0123456789';
const JWK = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private-part' });

/** Replaces part `index` of a sealed box (0 version, 1 iv, 2 tag, 3 body). */
function withPart(sealed: string, index: number, change: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = change(parts[index]!);
  return parts.join('.');
}

/** Flips one bit of a base64url part. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

describe('SecretBox', () => {
  it('round-trips, with a fresh IV every time', () => {
    const box = new SecretBox(SECRET);
    const first = box.seal(JWK);
    const second = box.seal(JWK);
    expect(first).not.toBe(second);
    expect(box.open(first)).toBe(JWK);
    expect(new SecretBox(SECRET).open(second)).toBe(JWK);
    expect(box.open(box.seal(''))).toBe('');
  });

  it('keeps no plaintext in the sealed form', () => {
    const sealed = new SecretBox(SECRET).seal(JWK);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('private-part');
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('utf8')).not.toContain('"d"');
  });

  it('refuses to open under another secret', () => {
    const sealed = new SecretBox(SECRET).seal(JWK);
    expect(() => new SecretBox(`${SECRET}x`).open(sealed)).toThrow();
  });

  it.each([
    ['the ciphertext', 3],
    ['the tag', 2],
    ['the IV', 1],
  ])('refuses a box whose %s was tampered with', (_part, index) => {
    const sealed = new SecretBox(SECRET).seal(JWK);
    expect(() => new SecretBox(SECRET).open(withPart(sealed, index, flipBit))).toThrow();
  });

  it('refuses a truncated tag (GCM would otherwise accept 4 bytes of it)', () => {
    const box = new SecretBox(SECRET);
    const sealed = box.seal(JWK);
    const truncated = withPart(sealed, 2, (tag) => Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url'));
    expect(() => box.open(truncated)).toThrow();
  });

  it.each(['', 'v1', 'v1.a.b', 'v2.a.b.c', 'garbage', JWK])('refuses the malformed box %j', (sealed) => {
    expect(() => new SecretBox(SECRET).open(sealed)).toThrow();
  });
});
