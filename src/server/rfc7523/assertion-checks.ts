import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { KeyResolver } from './client-keys.service.js';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../../internal/jws-algorithms.js';

/** `client_assertion_type` of a JWT client assertion (RFC 7523 section 2.2). */
export const JWT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Asymmetric JWS algorithms accepted for assertions signed with a registered key. */
export const ASYMMETRIC_ALGORITHMS: string[] = ASYMMETRIC_JWS_ALGORITHMS;
/** HMAC algorithms of `client_secret_jwt` (the client secret is the key). */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

/** Longest `jti` remembered (longer ones are refused rather than hashed unbounded). */
const MAX_JTI_LENGTH = 255;

/** A JWT read without verification: just enough to find who signed it and with what. */
export interface UnverifiedAssertion {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/** Decodes a compact JWS's header and claims without trusting them; undefined when it is not a JWT with an `alg`. */
export function peekAssertion(assertion: string): UnverifiedAssertion | undefined {
  if (assertion.length > 16_384 || assertion.split('.').length !== 3) return undefined;
  try {
    const header = decodeProtectedHeader(assertion);
    if (typeof header !== 'object' || header === null || typeof header.alg !== 'string' || header.alg === 'none') return undefined;
    return { header, payload: decodeJwt(assertion) };
  } catch {
    return undefined;
  }
}

/** What an assertion is verified against. */
export interface AssertionExpectations {
  key: KeyResolver | Uint8Array;
  algorithms: string[];
  /** Values of which `aud` must contain one (each of its members a string). */
  audiences: string[];
  issuer: string;
  /** The required `sub`, when it is known beforehand (client assertions: the client id). */
  subject?: string;
  /** Longest validity (`exp` minus now) accepted, in seconds. */
  maxLifetime: number;
  leeway: number;
  /** Seconds since the epoch. */
  now: number;
}

/**
 * Verifies an RFC 7523 assertion (section 3): signature with an allowed algorithm, `iss`, `sub`, `aud` (a string
 * or an array of strings naming this server), `exp` present, not past and not further than `maxLifetime` ahead,
 * `nbf` and `iat` not in the future, and a `jti` when `requireJti`. Resolves the claims, or undefined when any
 * check fails (the caller answers with its own error, naming none of it).
 */
export async function verifyAssertion(assertion: string, expected: AssertionExpectations, requireJti: boolean): Promise<JWTPayload | undefined> {
  let payload: JWTPayload;
  try {
    const options = {
      algorithms: expected.algorithms,
      issuer: expected.issuer,
      subject: expected.subject,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', ...(requireJti ? ['jti'] : [])],
      clockTolerance: expected.leeway,
      currentDate: new Date(expected.now * 1000),
    };
    ({ payload } =
      expected.key instanceof Uint8Array ? await jwtVerify(assertion, expected.key, options) : await jwtVerify(assertion, expected.key, options));
  } catch {
    return undefined;
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length === 0 || !audiences.every((aud) => typeof aud === 'string') || !audiences.some((aud) => expected.audiences.includes(aud!))) return undefined;
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
  if (typeof payload.exp !== 'number' || payload.exp > expected.now + expected.maxLifetime + expected.leeway) return undefined;
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > expected.now + expected.leeway)) return undefined;
  if (requireJti && (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH)) return undefined;
  return payload;
}
