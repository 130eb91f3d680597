import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 50 ms and 32 MiB), run on libuv's thread pool. */
const PARAMS = { logN: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 128 * 2 ** logN * r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a client secret: `scrypt$<logN>$<r>$<p>$<salt>$<hash>` (base64url). */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, PARAMS.logN, PARAMS.r, PARAMS.p);
  return ['scrypt', PARAMS.logN, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** `scrypt$logN$r$p$salt$hash`, with costs bounded so a tampered row cannot make verification hang or exhaust memory. */
const STORED_HASH = /^scrypt\$(1[0-8])\$([1-9]|1[0-6])\$([1-4])\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{43})$/;

/** Checks a presented secret against a stored hash in constant time. A malformed hash never matches. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const match = STORED_HASH.exec(stored);
  if (!match) return false;
  const [, logN = '', r = '', p = '', salt = '', hash = ''] = match;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random secret, verified against when the client is unknown so timing does not reveal it. */
export function dummySecretHash(): Promise<string> {
  dummyHash ??= hashClientSecret(randomBytes(16).toString('hex'));
  return dummyHash;
}
