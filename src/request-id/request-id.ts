import type { IncomingHttpHeaders } from 'node:http';
import { randomToken } from '../internal/random.js';
import type { ResolvedRequestIdOptions } from '../options/resolve-request-id-options.js';

/** An id safe to echo in a header and to write in a log line: 1 to 128 of `A-Z a-z 0-9 . _ : -` (no space, no CR/LF). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Random bytes of a fresh id: 12 bytes, 16 base64url characters (96 bits: unique without coordination). */
const FRESH_ID_BYTES = 12;

/** Whether `value` is an id authnest echoes and logs as it is. */
export function isSafeRequestId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value);
}

/** A fresh random request id (base64url: within the safe alphabet). */
export function freshRequestId(): string {
  return randomToken(FRESH_ID_BYTES);
}

/**
 * The id of a request with these headers: the caller's (in `options.header`) when `trustIncoming` and it is safe,
 * else a fresh one. A header sent twice arrives joined with `, ` (a space: not safe), so it is replaced too.
 */
export function requestIdOf(headers: IncomingHttpHeaders, options: ResolvedRequestIdOptions): string {
  if (options.trustIncoming) {
    const incoming = headers[options.header];
    if (isSafeRequestId(incoming)) return incoming;
  }
  return freshRequestId();
}
