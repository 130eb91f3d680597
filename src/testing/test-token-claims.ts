import { calculateJwkThumbprint, type JWK } from 'jose';
import { parseScope } from '../internal/scope.js';
import type { MintAccessTokenOptions } from './auth-testing-options.interface.js';

/** Claims of an access token that have options of their own (RFC 9068 section 2.2, RFC 9449 section 6). */
const ACCESS_TOKEN_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope', 'cnf']);
/** Claims of an ID token that have options of their own or that the server computes (OpenID Connect Core section 2). */
const ID_TOKEN_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'nonce', 'azp', 'at_hash', 'c_hash']);

/** `authnest/testing: <message>` as a TypeError: a test asked for something the testing server cannot mint. */
export function mintError(message: string): TypeError {
  return new TypeError(`authnest/testing: ${message}`);
}

/** The scopes of a `scope` option (a list or a space-separated string), checked against RFC 6749 section 3.3. */
export function scopesOf(scope: string | readonly string[]): string[] {
  const parsed = typeof scope === 'string' ? parseScope(scope) : parseScope(scope.join(' '));
  const valid = parsed && (typeof scope === 'string' || scope.every((item) => typeof item === 'string' && !item.includes(' ')));
  if (!valid) throw mintError('scope: each scope must be an RFC 6749 scope token (printable ASCII, no space, quote or backslash)');
  return parsed;
}

/** A copy of the extra `claims` of a token, refusing the registered ones (`kind` decides which). */
export function extraClaims(claims: Record<string, unknown> | undefined, kind: 'access' | 'id'): Record<string, unknown> {
  if (claims === undefined) return {};
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw mintError('claims: must be an object');
  const registered = kind === 'access' ? ACCESS_TOKEN_CLAIMS : ID_TOKEN_CLAIMS;
  const refused = Object.keys(claims).filter((name) => registered.has(name));
  if (refused.length > 0) throw mintError(`claims: ${refused.join(', ')} cannot be set here (use the options subject, clientId, scope, audience, expiresIn, dpop, nonce, authTime)`);
  return { ...claims };
}

/** A lifetime in seconds, checked. */
export function lifetimeOf(expiresIn: number): number {
  if (!Number.isInteger(expiresIn) || expiresIn <= 0) throw mintError('expiresIn: must be a positive whole number of seconds (expiredAccessToken() makes an expired token)');
  return expiresIn;
}

/** The RFC 7638 thumbprint of the `dpop` option, or undefined for a bearer token. */
export async function dpopThumbprint(dpop: MintAccessTokenOptions['dpop']): Promise<string | undefined> {
  if (dpop === undefined) return undefined;
  if (typeof dpop !== 'object' || dpop === null) throw mintError('dpop: must be a public JWK or { jkt }');
  if ('jkt' in dpop && typeof dpop.jkt === 'string') {
    if (!/^[A-Za-z0-9_-]{43}$/.test(dpop.jkt)) throw mintError('dpop.jkt: must be a base64url SHA-256 JWK thumbprint (43 characters)');
    return dpop.jkt;
  }
  const jwk = dpop as JWK;
  if ('d' in jwk) throw mintError('dpop: pass the public JWK (or its thumbprint), never the private key');
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    throw mintError('dpop: must be a public JWK or { jkt }');
  }
}
