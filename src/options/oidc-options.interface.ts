/** Options of the OpenID Provider: ID tokens, claims, subject identifiers and logout (OpenID Connect Core 1.0). */

/** How a client's `sub` is computed (OpenID Connect Core section 8). */
export type SubjectType = 'public' | 'pairwise';

/** ID tokens, claims and logout. OpenID Connect is on for clients allowed the `openid` scope. */
export interface OpenIdOptions {
  /**
   * Lifetime of an ID token in seconds (60 to 86400); a nonce is remembered (and refused when reused by the same client) as long.
   * @default 3600
   */
  idTokenTtl?: number;
  /**
   * Require `nonce` on every authorization request with the `openid` scope. Without it, a nonce is required only
   * when the request has no PKCE `code_challenge` (OAuth 2.1 section 7.5.1).
   * @default false
   */
  requireNonce?: boolean;
  /**
   * Also put the claims of the granted `profile`, `email`, `address` and `phone` scopes in the ID token. Off: they
   * come from the UserInfo endpoint only (OpenID Connect Core section 5.4, when an access token is issued), and the
   * ID token carries only what the `claims` parameter asks for it.
   * @default false
   */
  scopeClaimsInIdToken?: boolean;
  /**
   * More scopes that release claims, or other claims for the standard scopes: `{ 'https://example.com/employee':
   * ['department'] }`. Merged over the standard mapping of section 5.4. Each scope must be in `scopes`.
   * @default {}
   */
  scopeClaims?: Record<string, string[]>;
  /**
   * Salt of pairwise subject identifiers (32+ characters). Changing it changes every pairwise `sub`.
   * @default derived from signing.encryptionSecret with HKDF
   */
  pairwiseSalt?: string;
  /**
   * Milliseconds each back-channel logout notification may take (OpenID Connect Back-Channel Logout 1.0); the
   * logout response waits for all of them, in parallel, at most this long.
   * @default 5000
   */
  backchannelLogoutTimeoutMs?: number;
}
