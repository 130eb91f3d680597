import { describe, expect, it } from 'vitest';
import { dummySecretHash, hashClientSecret, verifyClientSecret } from './client-secret-hasher.js';

const SECRET = 'correct horse battery staple';

describe('client secret hashing (scrypt)', () => {
  it('stores a salted scrypt hash, never the secret', async () => {
    const first = await hashClientSecret(SECRET);
    const second = await hashClientSecret(SECRET);
    expect(first).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(SECRET);
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const stored = await hashClientSecret(SECRET);
    expect(await verifyClientSecret(SECRET, stored)).toBe(true);
    expect(await verifyClientSecret(`${SECRET} `, stored)).toBe(false);
    expect(await verifyClientSecret('', stored)).toBe(false);
    expect(await verifyClientSecret(SECRET.toUpperCase(), stored)).toBe(false);
  });

  it('is not fooled by presenting the stored hash as the secret', async () => {
    const stored = await hashClientSecret(SECRET);
    expect(await verifyClientSecret(stored, stored)).toBe(false);
  });

  it('handles non-ASCII secrets', async () => {
    const stored = await hashClientSecret('s\u00e9cr\u00e8t-\u{1f511}');
    expect(await verifyClientSecret('s\u00e9cr\u00e8t-\u{1f511}', stored)).toBe(true);
    expect(await verifyClientSecret('secret-\u{1f511}', stored)).toBe(false);
  });

  it('never matches (nor throws on) a malformed or tampered hash', async () => {
    const stored = await hashClientSecret(SECRET);
    const [, , , , salt, hash] = stored.split('$');
    const malformed = [
      '',
      SECRET,
      'scrypt',
      stored.replace(/^scrypt/, 'bcrypt'),
      stored.slice(0, -1),
      `${stored}$extra`,
      `scrypt$15$8$1$$${hash}`,
      `scrypt$15$8$1$${salt}$`,
      `scrypt$abc$8$1$${salt}$${hash}`,
      `scrypt$15$8$NaN$${salt}$${hash}`,
      `scrypt$-1$8$1$${salt}$${hash}`,
      `scrypt$0$8$1$${salt}$${hash}`,
      `scrypt$40$8$1$${salt}$${hash}`,
      `scrypt$15$1024$64$${salt}$${hash}`,
      `scrypt$15$8$1$${salt}$${hash.slice(0, 20)}`,
    ];
    for (const candidate of malformed) {
      await expect(verifyClientSecret(SECRET, candidate), candidate).resolves.toBe(false);
    }
  });

  it('keeps a stable dummy hash for unknown clients that matches nothing', async () => {
    const dummy = await dummySecretHash();
    expect(await dummySecretHash()).toBe(dummy);
    expect(await verifyClientSecret(SECRET, dummy)).toBe(false);
  });
});
