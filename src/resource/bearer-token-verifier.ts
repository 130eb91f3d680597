import type { AccessTokenInfo } from '../tokens/access-token-info.js';

/**
 * The port between the bearer guards and whatever verifies tokens: `AuthModule` binds it to its local
 * `AccessTokenVerifier`, `AuthResourceModule` to a verifier that asks the issuer (JWKS, introspection).
 */
export interface BearerTokenVerifier {
  /** Resolves the verified token, or throws an `OAuthError` (401 `invalid_token`, 503 when the issuer is unreachable). */
  verify(token: string): Promise<AccessTokenInfo>;
  /**
   * The token as verified moments ago, when the verifier keeps verified tokens (within the bounds it was configured
   * with: never past `exp`, a revocation seen on this instance at once); undefined otherwise. Lets the guard answer
   * without a promise. Optional: a verifier without a cache leaves it out.
   */
  cached?(token: string): AccessTokenInfo | undefined;
}

/** DI token of the `BearerTokenVerifier` that `BearerAuthGuard` and the passport strategy use. */
export const BEARER_TOKEN_VERIFIER = Symbol('authnest:bearer-token-verifier');

/** DI token of the `realm` (a string) of the guards' `WWW-Authenticate: Bearer` challenges. */
export const BEARER_REALM = Symbol('authnest:bearer-realm');
