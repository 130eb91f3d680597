import type { AsymmetricJwsAlgorithm } from '../internal/jws-algorithms.js';

/** Asymmetric JWS algorithms a DPoP proof may be signed with (never `none`, never HMAC: RFC 9449 section 4.2). */
export type DpopAlgorithm = AsymmetricJwsAlgorithm;

/**
 * DPoP, sender-constrained tokens (RFC 9449). Set `dpop` (`{}` takes every default) to turn it on: a token request
 * with a valid `DPoP` proof gets tokens bound to the proof's key (`token_type: DPoP`, `cnf.jkt`), the guards accept
 * them with the `DPoP` scheme and a proof only, and the metadata lists `dpop_signing_alg_values_supported`. Without
 * `dpop`, a `DPoP` header is ignored (RFC 9449 section 5: the token is a bearer token).
 */
export interface DpopOptions {
  /**
   * Every token request must carry a DPoP proof (`invalid_dpop_proof` otherwise); per client, see
   * `dpopBoundAccessTokens`.
   * @default false
   */
  required?: boolean;
  /**
   * Proofs must carry a nonce this server gave out (RFC 9449 section 8 and 9): a request without one, or with a stale
   * one, is answered `use_dpop_nonce` with a fresh nonce in the `DPoP-Nonce` header. Nonces are valid on every instance
   * (derived from `signing.encryptionSecret`, nothing stored) for one to two `nonceLifetime`s.
   * @default false
   */
  requireNonce?: boolean;
  /**
   * Seconds a nonce window lasts (60 to 3600); a nonce is accepted in its window and the next.
   * @default 300
   */
  nonceLifetime?: number;
  /**
   * Seconds after its `iat` a proof is still accepted (10 to 600); its `jti` is remembered as long, in the database, so
   * a proof is used once across every instance and restart.
   * @default 60
   */
  proofMaxAge?: number;
  /**
   * Seconds a proof's `iat` may be ahead of this server's clock (0 to 60). With `requireNonce`, also how far ahead
   * another instance's clock may run: a nonce it handed out in a window that starts within this many seconds is
   * accepted here.
   * @default 15
   */
  leeway?: number;
  /**
   * Algorithms accepted on proofs (`dpop_signing_alg_values_supported`).
   * @default ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519']
   */
  algorithms?: DpopAlgorithm[];
  /**
   * The public origin (`https://api.example.com`) of the host app's routes that `BearerAuthGuard` protects: a proof's
   * `htu` must be this origin followed by the request's path. Never taken from the request's `Host` or forwarded
   * headers, which a client chooses (a malicious resource server could replay proofs made for it). https, or http on
   * a loopback host; no path.
   * @default the issuer's origin
   */
  resourceOrigin?: string;
}
