import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';

/** RFC 9126 section 2.2: the `request_uri` of a pushed request is a URN under this prefix. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/** The random part of a request URI: 256 bits in base64url. */
const REFERENCE = /^[A-Za-z0-9_-]{43}$/;

/** A new request URI, and the SHA-256 of its reference (all that is stored). */
export function newRequestUri(): { requestUri: string; referenceHash: string } {
  const reference = randomToken(32);
  return { requestUri: `${REQUEST_URI_PREFIX}${reference}`, referenceHash: sha256Hex(reference) };
}

/** Whether `value` is a request URI of the pushed authorization request endpoint's kind (any other is never fetched). */
export function isPushedRequestUri(value: string): boolean {
  return value.startsWith(REQUEST_URI_PREFIX);
}

/** The SHA-256 of the reference in a request URI this server could have issued, or undefined (no lookup is needed). */
export function referenceHashOf(requestUri: string): string | undefined {
  const reference = requestUri.slice(REQUEST_URI_PREFIX.length);
  return isPushedRequestUri(requestUri) && REFERENCE.test(reference) ? sha256Hex(reference) : undefined;
}
