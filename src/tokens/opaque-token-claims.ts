import type { AccessTokenEntity } from '../persistence/entities/access-token.entity.js';
import { storedActorClaim } from './stored-actor-claim.js';

/** What `opaqueAccessTokenClaims` reads off a row (more claims may be added). */
export interface OpaqueAccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

/**
 * The claims an opaque access token stands for, read from its row as a JWT access token would carry them (RFC 9068
 * section 2.2): `iss`, `sub`, `aud`, `client_id`, `jti`, `iat`, `exp`, `scope` when it has scopes, and `act` for a
 * token from a delegation (RFC 8693 section 4.1).
 */
export function opaqueAccessTokenClaims(row: AccessTokenEntity, issuer: string): OpaqueAccessTokenClaims {
  const claims: OpaqueAccessTokenClaims = {
    iss: issuer,
    sub: row.subject,
    aud: row.audience,
    client_id: row.clientId,
    jti: row.id,
    iat: Math.floor(row.issuedAt / 1000),
    exp: Math.floor(row.expiresAt / 1000),
  };
  const act = storedActorClaim(row.act);
  if (act) claims.act = act;
  if (row.scopes.length > 0) claims.scope = row.scopes.join(' ');
  return claims;
}
