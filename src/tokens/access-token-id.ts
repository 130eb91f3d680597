import { randomToken } from '../internal/random.js';

/** Characters of a token id (`timeOrderedId(10)`: 16 bytes in base64url). */
export const ACCESS_TOKEN_ID_LENGTH = 22;
/** Random bytes after the id of an opaque access token (256 bits). */
const SECRET_BYTES = 32;
/** An opaque access token: the row's id, then 43 characters of secret. */
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{65}$/;
/** The longest row id (the column's length). */
const MAX_ID_LENGTH = 64;
/** A JWT's payload worth decoding for its `jti` (our access tokens' payloads are far shorter). */
const MAX_PAYLOAD_LENGTH = 8192;

/**
 * A new opaque access token for the row `id`: the id in clear, then 256 random bits. The row is found by its id
 * (a time-ordered primary key, so new rows land at the end of the index instead of on a random page of a hash
 * index); the token's SHA-256 hash in the row is what proves the rest (selector and verifier).
 */
export function newOpaqueAccessToken(id: string): string {
  return id + randomToken(SECRET_BYTES);
}

/**
 * The row id a presented access token names: an opaque token's first 22 characters, a JWT's `jti` (read without
 * verifying anything: the caller compares the whole token's hash with the row's). Undefined for anything else.
 */
export function accessTokenIdOf(token: string): string | undefined {
  if (OPAQUE_TOKEN.test(token)) return token.slice(0, ACCESS_TOKEN_ID_LENGTH);
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 1 || second < 0 || token.indexOf('.', second + 1) >= 0 || second - first - 1 > MAX_PAYLOAD_LENGTH) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const jti = (payload as { jti?: unknown } | null)?.jti;
  return typeof jti === 'string' && jti.length > 0 && jti.length <= MAX_ID_LENGTH ? jti : undefined;
}
