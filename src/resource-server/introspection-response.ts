import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { confirmationOf, isNumericDate, scopesOfClaim } from '../tokens/jwt-access-token-claims.js';

/** What an introspection answer is checked against. */
export interface IntrospectionExpectations {
  issuer: string;
  audience: string;
  /** Milliseconds since the epoch. */
  now: number;
}

function audiences(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value as string[];
  return undefined;
}

/**
 * Reads an RFC 7662 section 2.2 answer as a verified access token, or `undefined` when it does not describe a
 * usable bearer access token for this API: `active` must be `true`; `exp` (in the future), `iat`, `sub` and
 * `client_id` present; `aud`, when present, names the audience; `iss`, when present, is the issuer;
 * `token_type`, when present, is `Bearer`, or `DPoP` for a token bound by `cnf.jkt` (RFC 9449 section 6.2; a bound
 * token comes back with its `cnf`, which the guards then enforce); `token_use`, when present, is `access_token`;
 * `scope` follows RFC 6749 section 3.3.
 */
export function toIntrospectedToken(answer: Readonly<Record<string, unknown>>, expected: IntrospectionExpectations): AccessTokenInfo | undefined {
  const { active, exp, iat, sub, client_id: clientId, scope, iss, jti, token_type: tokenType, token_use: tokenUse } = answer;
  if (active !== true) return undefined;
  if (!isNumericDate(exp) || exp * 1000 <= expected.now || !isNumericDate(iat)) return undefined;
  if (typeof sub !== 'string' || typeof clientId !== 'string') return undefined;
  if (iss !== undefined && iss !== expected.issuer) return undefined;
  const confirmation = confirmationOf(answer.cnf);
  if (!confirmation) return undefined;
  const expectedType = confirmation.cnf ? 'dpop' : 'bearer';
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== expectedType)) return undefined;
  if (tokenUse !== undefined && tokenUse !== 'access_token') return undefined;
  if (jti !== undefined && typeof jti !== 'string') return undefined;
  const aud = audiences(answer.aud);
  if (!aud || (answer.aud !== undefined && !aud.includes(expected.audience))) return undefined;
  const scopes = scopesOfClaim(scope);
  if (!scopes) return undefined;
  const { active: _active, ...claims } = answer;
  return {
    format: 'opaque',
    jti: jti ?? '',
    iss: expected.issuer,
    sub,
    aud,
    clientId,
    scopes,
    iat,
    exp,
    claims,
    ...confirmation,
  };
}
