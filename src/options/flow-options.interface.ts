/** Options of the browser flows: authorization endpoint, codes, refresh tokens, login and consent. */

/** Who must use PKCE at the authorization endpoint. */
export type PkcePolicy = 'all-clients' | 'public-clients';

/** Authorization endpoint and codes (RFC 6749 section 4.1, RFC 7636, RFC 9207). */
export interface AuthorizationOptions {
  /**
   * Lifetime of an authorization code in seconds (single use in any case).
   * @default 60
   */
  codeTtl?: number;
  /**
   * `all-clients`: every authorization request needs an S256 `code_challenge` (OAuth 2.1);
   * `public-clients`: confidential clients may skip PKCE.
   * @default 'all-clients'
   */
  pkce?: PkcePolicy;
  /**
   * Accept `code_challenge_method=plain` (RFC 7636 section 4.2). Off: only S256.
   * @default false
   */
  allowPlainPkce?: boolean;
}

/** Refresh tokens: opaque, hashed, rotated on every use, grouped in a family per grant. */
export interface RefreshTokenOptions {
  /**
   * Seconds a refresh token stays usable when unused (each rotation starts a new period).
   * @default 1209600 (14 days)
   */
  ttl?: number;
  /**
   * Seconds after the original grant when the family ends, however often it was rotated.
   * @default 7776000 (90 days)
   */
  absoluteTtl?: number;
  /**
   * Seconds after a rotation during which the rotated token may be presented again (a concurrent retry,
   * two browser tabs) and is answered with fresh tokens without revoking the family. 0 disables: any reuse
   * revokes the family.
   * @default 10
   */
  reuseGrace?: number;
}

/** Where users log in and consent. */
export interface InteractionOptions {
  /**
   * `builtin`: authnest's server-rendered login and consent pages. `custom`: the authorization endpoint
   * redirects to `loginUrl?interaction=<id>` and the host app finishes through `InteractionService`.
   * @default 'builtin'
   */
  mode?: 'builtin' | 'custom';
  /**
   * The host app's page for `custom` mode (absolute URL or a path on the issuer's origin).
   * @default undefined
   */
  loginUrl?: string;
  /**
   * Seconds a started login/consent interaction stays valid.
   * @default 600
   */
  ttl?: number;
  /**
   * Seconds a login session lasts (the signed, httpOnly, SameSite=Lax session cookie; the session lives
   * in the database so any instance can serve the next request).
   * @default 86400
   */
  sessionTtl?: number;
}

/** A fixed-window limit. */
export interface RateLimitWindow {
  /** Attempts allowed per window. */
  max: number;
  /** Window length in seconds. */
  window: number;
}

/** Login attempt limits, counted in the database (shared by every instance). */
export interface LoginRateLimitOptions {
  /**
   * Failed-or-not attempts per username.
   * @default { max: 10, window: 900 }
   */
  perAccount?: RateLimitWindow;
  /**
   * Attempts per client address (the platform's `request.ip`: configure trust proxy behind a proxy).
   * @default { max: 50, window: 900 }
   */
  perAddress?: RateLimitWindow;
}
