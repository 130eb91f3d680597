import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../internal/constant-time.js';

/**
 * RFC 7636 section 4.1: `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
 * Section 4.2: a challenge is the verifier itself (`plain`) or its 43-character base64url SHA-256 (`S256`), so it
 * has the same alphabet and length.
 */
const PKCE_STRING = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The `code_challenge_method` values of RFC 7636 section 4.2 (`plain` is what an omitted method means, section 4.3). */
export type CodeChallengeMethod = 'S256' | 'plain';

/** True when `value` is a `code_challenge_method` this server knows (RFC 7636 section 4.3). */
export function isCodeChallengeMethod(value: string): value is CodeChallengeMethod {
  return value === 'S256' || value === 'plain';
}

/** The methods a server accepts, for `code_challenge_methods_supported` (RFC 8414): `plain` only when allowed. */
export function supportedCodeChallengeMethods(allowPlain: boolean): CodeChallengeMethod[] {
  return allowPlain ? ['S256', 'plain'] : ['S256'];
}

/** True when `value` is a syntactically valid `code_verifier` (RFC 7636 section 4.1). */
export function isCodeVerifier(value: string): boolean {
  return PKCE_STRING.test(value);
}

/** True when `value` is a syntactically valid `code_challenge` (RFC 7636 section 4.2: the verifier's alphabet and length). */
export function isCodeChallenge(value: string): boolean {
  return PKCE_STRING.test(value);
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
