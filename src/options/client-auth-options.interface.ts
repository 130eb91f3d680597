import type { JWK } from 'jose';

/** A public JSON Web Key (RFC 7517) of a client: RSA, EC or OKP, without private members (checked at boot). */
export type ClientPublicJwk = JWK;

/** A client's public keys (RFC 7517 section 5), for `private_key_jwt`. */
export interface ClientJwks {
  /** Public JWKs only (`kty` and the public members); a private or symmetric key is refused at boot. */
  keys: ClientPublicJwk[];
}

/**
 * How client assertions (RFC 7523 section 2.2; OpenID Connect Core section 9 `private_key_jwt` and
 * `client_secret_jwt`) are checked, and how clients' `jwksUri` documents are fetched.
 */
export interface ClientAssertionOptions {
  /**
   * Seconds an assertion may be valid for at most (`exp` minus now); one valid longer is refused. Its `jti` is
   * remembered until its `exp`, so each assertion is used once, across instances sharing the database.
   * @default 300
   */
  maxLifetime?: number;
  /**
   * Seconds a client's `jwksUri` document is kept; a token signed with an unknown `kid` fetches it again (at most
   * once a minute).
   * @default 300
   */
  jwksCacheTtl?: number;
  /**
   * Milliseconds a `jwksUri` fetch may take (the whole answer, at most 64 KiB, no redirects).
   * @default 2500
   */
  jwksTimeoutMs?: number;
  /**
   * Lets `jwksUri` point at loopback, private, link-local and other non-public addresses (refused by default, against
   * SSRF: the check is on the address actually connected to). For tests and closed networks only.
   * @default false
   */
  allowPrivateJwksUri?: boolean;
}
