import type { ClientJwks } from './client-auth-options.interface.js';

/** An issuer whose JWTs the JWT bearer grant (RFC 7523 section 2.1) accepts as authorization grants. */
export interface JwtBearerIssuer {
  /** The assertions' `iss`, exactly. */
  issuer: string;
  /**
   * The issuer's public keys (give `jwks` or `jwksUri`, not both).
   * @default undefined
   */
  jwks?: ClientJwks;
  /**
   * Where the issuer publishes its public keys: fetched like a client's `jwksUri` (see `clientAssertions`).
   * @default undefined
   */
  jwksUri?: string;
  /**
   * The clients that may present this issuer's assertions (each also needs the grant type
   * `urn:ietf:params:oauth:grant-type:jwt-bearer`).
   * @default every client with the grant type
   */
  clients?: string[];
}

/**
 * The JWT bearer authorization grant (RFC 7523 section 2.1): a client trades a JWT from a trusted issuer, whose `sub`
 * is an account id of this server (an active account of the `AccountService`), for an access token of that account.
 * The JWT must name this server in `aud` (its issuer or token endpoint URL), expire within
 * `clientAssertions.maxLifetime` seconds and carry a `jti`, used once. No refresh token is issued.
 */
export interface JwtBearerOptions {
  /**
   * The trusted issuers; with none, the grant answers `invalid_grant` to every assertion.
   * @default []
   */
  issuers?: JwtBearerIssuer[];
}
