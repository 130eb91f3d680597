import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../internal/constant-time.js';

/** RFC 7636 section 4.1: `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** True when `value` is a syntactically valid `code_verifier` (RFC 7636 section 4.1). */
export function isCodeVerifier(value: string): boolean {
  return CODE_VERIFIER.test(value);
}

/** `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 section 4.2, S256). */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * RFC 7636 section 4.6: whether `verifier` matches the stored challenge under its method, compared in
 * constant time. `plain` only counts when `allowPlain`; any other method never matches (fail closed).
 */
export function codeVerifierMatches(verifier: string, challenge: string, method: string | null, allowPlain: boolean): boolean {
  if (method === 'S256') return constantTimeEqual(s256CodeChallenge(verifier), challenge);
  // RFC 7636 section 4.3: a challenge stored without a method was sent as plain.
  if ((method === 'plain' || method === null) && allowPlain) return constantTimeEqual(verifier, challenge);
  return false;
}
