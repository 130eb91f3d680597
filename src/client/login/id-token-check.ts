import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { OAuthClientError } from '../oauth-client.error.js';
import type { ProviderJwks } from '../provider-jwks.js';

/** Asymmetric algorithms accepted for ID tokens (never `none`, never HMAC with a client secret). */
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'];

/** What an ID token is checked against. */
export interface IdTokenExpectations {
  provider: string;
  issuer: string;
  clientId: string;
  /** The login's `nonce`: the token's must equal it (absent is allowed only with `nonceOptional`). */
  nonce: string;
  /** A refreshed ID token (Core section 12.2) need not repeat the nonce; one that does must repeat it exactly. */
  nonceOptional?: boolean;
  /** ms since the epoch. */
  now: number;
  /** Seconds of clock skew tolerated. */
  leeway: number;
}

/**
 * Validates an ID token from the token endpoint (OpenID Connect Core section 3.1.3.7): signature with a key of the
 * provider's JWKS and an asymmetric algorithm; `iss` exactly the issuer; `aud` containing the client id, and `azp`
 * equal to it when there are several audiences or an `azp` at all; `exp`, `iat` and `sub` present and `exp` not past; `nonce` exactly
 * the one sent. Any failure is `OAuthClientError` `invalid_id_token` (or `unavailable` when the JWKS cannot be read).
 */
export async function checkIdToken(idToken: string, jwks: ProviderJwks, expected: IdTokenExpectations): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwks.getKey, {
      algorithms: ALGORITHMS,
      issuer: expected.issuer,
      audience: expected.clientId,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      clockTolerance: expected.leeway,
      currentDate: new Date(expected.now),
    }));
  } catch (error) {
    if (error instanceof OAuthClientError) throw error;
    const reason = error instanceof joseErrors.JWTExpired ? 'it expired' : 'its signature or claims are wrong';
    throw new OAuthClientError(expected.provider, 'invalid_id_token', `The ID token was refused: ${reason}`);
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  // Section 3.1.3.7 items 4 and 5: azp is needed with several audiences, and when present it must be this client.
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== expected.clientId) {
    throw new OAuthClientError(expected.provider, 'invalid_id_token', 'The ID token was refused: azp is not this client');
  }
  const nonceOk = payload.nonce === expected.nonce || (expected.nonceOptional === true && payload.nonce === undefined);
  if (!nonceOk) throw new OAuthClientError(expected.provider, 'invalid_id_token', 'The ID token was refused: wrong nonce');
  return payload;
}
