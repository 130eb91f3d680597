/** The asymmetric JWS algorithms (RFC 7518, RFC 8037) a key from outside may sign with: never `none`, never HMAC. */
export type AsymmetricJwsAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'EdDSA' | 'Ed25519';

/** Every `AsymmetricJwsAlgorithm` (a record, so a new one must be listed here). */
export const ASYMMETRIC_JWS_ALGORITHMS = Object.keys({
  ES256: true,
  ES384: true,
  ES512: true,
  RS256: true,
  RS384: true,
  RS512: true,
  PS256: true,
  PS384: true,
  PS512: true,
  EdDSA: true,
  Ed25519: true,
} satisfies Record<AsymmetricJwsAlgorithm, true>) as AsymmetricJwsAlgorithm[];
