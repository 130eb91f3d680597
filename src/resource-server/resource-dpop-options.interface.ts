import type { DpopAlgorithm } from '../options/dpop-options.interface.js';

/**
 * DPoP at a standalone resource server (RFC 9449 section 7): with it, the guards accept DPoP-bound tokens (JWT `cnf`,
 * or the introspection answer's `cnf` with `token_type: DPoP`) with the DPoP scheme and a proof of their key. Proof
 * `jti`s are remembered in this process only (there is no database): a proof is single use per instance, so run one
 * instance, or accept that a captured proof could be replayed once at each other instance within `proofMaxAge`.
 * Server nonces are not offered here.
 */
export interface ResourceDpopOptions {
  /**
   * The API's public origin (`https://api.example.com`): a proof's `htu` must be it followed by the request's path.
   * Required, because the request's own `Host` header is the client's to choose. https, or http on a loopback host.
   */
  origin: string;
  /**
   * Algorithms accepted on proofs.
   * @default ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519']
   */
  algorithms?: DpopAlgorithm[];
  /**
   * Seconds after its `iat` a proof is still accepted (10 to 600).
   * @default 60
   */
  proofMaxAge?: number;
  /**
   * Seconds a proof's `iat` may be ahead of this server's clock (0 to 60).
   * @default 15
   */
  leeway?: number;
}
