import type { AccessTokenFormat } from '../options/auth-options.interface.js';

/** A verified access token as guards and `@CurrentToken()` see it. */
export interface AccessTokenInfo {
  /** How the token travelled. */
  format: AccessTokenFormat;
  /** Token identifier (`jti`). */
  jti: string;
  /** Issuer. */
  iss: string;
  /** Subject: the user id, or the client id for client_credentials tokens (RFC 9068 section 2.2). */
  sub: string;
  /** Audience(s). */
  aud: string[];
  /** The client the token was issued to. */
  clientId: string;
  /** Granted scopes. */
  scopes: string[];
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Every claim of a JWT (for opaque tokens, the same fields in JWT claim names). */
  claims: Readonly<Record<string, unknown>>;
  /**
   * RFC 9449 section 6: the thumbprint of the DPoP key the token is bound to (JWT `cnf.jkt`, or the issuer's record).
   * Absent for a bearer token. The guards accept a bound token only with the DPoP scheme and a proof of that key.
   */
  cnf?: { jkt: string };
}
