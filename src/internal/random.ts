import { randomFillSync } from 'node:crypto';

/**
 * Random bytes are drawn from a pool refilled by one `randomFillSync` call (the same CSPRNG as `randomBytes`) and
 * each byte is handed out once, then overwritten: one call into OpenSSL per 8 KiB instead of one per token (a
 * `randomBytes` call costs about 3 µs here, more than the rest of an opaque token's minting).
 */
const POOL_SIZE = 8192;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** A copy-free view of `bytes` fresh random bytes, valid until the next call (encode it before anything else runs). */
function take(bytes: number): Buffer {
  if (bytes > POOL_SIZE) return randomFillSync(Buffer.alloc(bytes));
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const view = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return view;
}

/** A base64url string of `bytes` random bytes (32 bytes = 256 bits by default). */
export function randomToken(bytes = 32): string {
  const view = take(bytes);
  const token = view.toString('base64url');
  view.fill(0);
  return token;
}

/**
 * A token identifier that sorts roughly by time: 6 bytes of the millisecond clock then `randomBytes` random bytes,
 * base64url. Rows keyed by it land at the end of their index instead of on a random page (which in SQLite costs a
 * page write per insert). Use it only where the creation time is not a secret (a JWT's `jti` sits beside its `iat`).
 */
export function timeOrderedId(randomBytes = 10, nowMs = Date.now()): string {
  const buffer = Buffer.allocUnsafe(6 + randomBytes);
  buffer.writeUIntBE(nowMs % 2 ** 48, 0, 6);
  const view = take(randomBytes);
  view.copy(buffer, 6);
  view.fill(0);
  return buffer.toString('base64url');
}
