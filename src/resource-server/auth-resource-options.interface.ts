import type { AsymmetricJwsAlgorithm } from '../internal/jws-algorithms.js';
import type { ResourceDpopOptions } from './resource-dpop-options.interface.js';

/**
 * Asymmetric JWS algorithms a standalone resource server may accept (never `none`, never HMAC: the keys come
 * from a public JWK Set).
 */
export type RemoteJwsAlgorithm = AsymmetricJwsAlgorithm;

/** How the resource server authenticates to the introspection endpoint (RFC 6749 section 2.3.1). */
export type IntrospectionAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Where the issuer's signing keys come from, and how long they are trusted. */
export interface RemoteJwksOptions {
  /**
   * URL of the issuer's JWK Set (https, or http on a loopback host).
   * @default the `jwks_uri` of the issuer's metadata at `${issuer}/.well-known/oauth-authorization-server`
   */
  uri?: string;
  /**
   * Minimum seconds between two JWKS fetches caused by a token whose `kid` is not in the cached set, so
   * tokens with made-up `kid`s cannot turn into a flood of fetches (1 to 3600).
   * @default 60
   */
  refetchInterval?: number;
  /**
   * Seconds a fetched key set is used; the next token after that fetches it again. Keys are never used longer:
   * when that fetch fails the guard answers 503, so a key the issuer removed is accepted for at most this long
   * (1 to 86400).
   * @default 600
   */
  cacheTtl?: number;
}

/**
 * RFC 7662 token introspection, for opaque access tokens. Without it, opaque tokens are refused (401).
 * An answer is accepted when it carries `active: true`, `exp` in the future, `iat`, `sub` and `client_id`;
 * `aud` (when present) must name the `audience`, `iss` (when present) the `issuer`, `token_type` (when present)
 * must be `Bearer`. `jti` is `''` when the answer has none.
 */
export interface IntrospectionOptions {
  /**
   * URL of the introspection endpoint (https, or http on a loopback host).
   * @default the `introspection_endpoint` of the issuer's metadata
   */
  endpoint?: string;
  /** The resource server's `client_id` at the issuer (required). */
  clientId: string;
  /** The resource server's client secret (required); sent only to the introspection endpoint. */
  clientSecret: string;
  /**
   * How the client credentials are sent.
   * @default 'client_secret_basic'
   */
  authMethod?: IntrospectionAuthMethod;
  /**
   * Seconds an active answer is remembered, and never past the token's `exp`: a revocation at the issuer is
   * seen after at most this long. 0 introspects on every request (0 to 3600).
   * @default 30
   */
  cacheTtl?: number;
  /**
   * Most answers remembered at once; the oldest is dropped first. 0 disables the cache.
   * @default 10000
   */
  cacheSize?: number;
}

/** Options of `AuthResourceModule.forRoot()` / `forRootAsync()`. Validated at boot. */
export interface AuthResourceModuleOptions {
  /**
   * The authorization server's issuer identifier, exactly as it appears in its tokens' `iss` and its metadata
   * (required; https, or http on a loopback host; no query or fragment).
   */
  issuer: string;
  /** The audience this API requires: JWTs' `aud` and introspected `aud` must name it (required). */
  audience: string;
  /**
   * JWS algorithms accepted on JWT access tokens.
   * @default ['ES256', 'RS256', 'EdDSA']
   */
  algorithms?: RemoteJwsAlgorithm[];
  /**
   * Clock skew in seconds tolerated on JWTs' `exp`, `iat` and `nbf` (0 to 60).
   * @default 5
   */
  leeway?: number;
  /**
   * Where the issuer's signing keys come from and how long they are trusted.
   * @default { refetchInterval: 60, cacheTtl: 600 }, `uri` discovered
   */
  jwks?: RemoteJwksOptions;
  /**
   * Introspection of opaque access tokens.
   * @default undefined (opaque tokens are refused)
   */
  introspection?: IntrospectionOptions;
  /**
   * `realm` of the `WWW-Authenticate: Bearer` challenge.
   * @default the issuer
   */
  realm?: string;
  /**
   * Milliseconds an outbound request (metadata, JWKS, introspection) may take before it is abandoned
   * (100 to 60000).
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * DPoP-bound tokens (RFC 9449), accepted with the DPoP scheme and a proof; see `ResourceDpopOptions`.
   * @default undefined (the Bearer scheme only; DPoP-bound tokens are refused)
   */
  dpop?: ResourceDpopOptions;
}
