import { errors as joseErrors, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { parseScope } from '../internal/scope.js';
import type { AccessTokenInfo } from './access-token-info.js';

/** RFC 9068 section 2.2: the claims every JWT access token carries. */
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

/** What a JWT access token is verified against, by this server's verifier and by a standalone resource server's. */
export interface JwtAccessTokenExpectations {
  /** The JWS algorithms accepted (never `none` or HMAC). */
  algorithms: string[];
  issuer: string;
  audience: string;
  /** Clock tolerance for `exp`/`iat`/`nbf`, in seconds. */
  leeway: number;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * `jwtVerify` options for an RFC 9068 access token: an allowed algorithm, `typ` `at+jwt` (section 2.1), `iss`,
 * `aud`, `exp`/`iat`/`nbf` with the leeway (`exp` not past, `nbf` and `iat` not in the future), and every claim of
 * section 2.2 present.
 */
export function jwtAccessTokenVerifyOptions(expected: JwtAccessTokenExpectations): JWTVerifyOptions {
  return {
    algorithms: expected.algorithms,
    typ: 'at+jwt',
    issuer: expected.issuer,
    audience: expected.audience,
    clockTolerance: expected.leeway,
    // Only so that jose refuses an `iat` in the future beyond the leeway (a token from a clock that runs ahead);
    // the token's age is bounded by its `exp`.
    maxTokenAge: Number.MAX_SAFE_INTEGER,
    requiredClaims: REQUIRED_CLAIMS,
    currentDate: new Date(expected.now),
  };
}

/** The `error_description` of a failed JWT verification: the expiry is named, anything else stays generic. */
export function jwtFailureDescription(error: unknown): string | undefined {
  return error instanceof joseErrors.JWTExpired ? 'The access token expired' : undefined;
}

/** A JWT NumericDate that is a usable number (`1e309` parses as Infinity). */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The scopes of a `scope` claim (RFC 6749 section 3.3 syntax); none when absent; undefined when malformed. */
export function scopesOfClaim(scope: unknown): string[] | undefined {
  if (scope === undefined) return [];
  return typeof scope === 'string' ? parseScope(scope) : undefined;
}

/**
 * The `cnf` claim of a sender-constrained token (RFC 7800, RFC 9449 section 6.1): absent, `{ cnf: undefined }`; a
 * `jkt` thumbprint, that; anything else (another confirmation method, a malformed value), undefined: a binding this
 * code cannot check, so the token is refused.
 */
export function confirmationOf(cnf: unknown): { cnf?: { jkt: string } } | undefined {
  if (cnf === undefined) return {};
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return undefined;
  const { jkt } = cnf as Record<string, unknown>;
  return typeof jkt === 'string' && /^[A-Za-z0-9_-]{43}$/.test(jkt) ? { cnf: { jkt } } : undefined;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A verified JWT access token's payload as guards see it, or undefined when a claim has the wrong type
 * (`client_id` not a string, `iat`/`exp` not finite numbers, a malformed `scope`): the caller answers
 * `invalid_token`.
 */
export function jwtAccessTokenInfo(payload: JWTPayload): AccessTokenInfo | undefined {
  const { client_id: clientId, iat, exp } = payload;
  const scopes = scopesOfClaim(payload.scope);
  const confirmation = confirmationOf(payload.cnf);
  if (!scopes || !confirmation || typeof clientId !== 'string' || !isNumericDate(iat) || !isNumericDate(exp)) return undefined;
  return {
    format: 'jwt',
    jti: String(payload.jti),
    iss: String(payload.iss),
    sub: String(payload.sub),
    aud: asList(payload.aud),
    clientId,
    scopes,
    iat,
    exp,
    claims: payload,
    ...confirmation,
  };
}
