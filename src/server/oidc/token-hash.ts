import { createHash } from 'node:crypto';

/** The hash function of a JWS algorithm's family (ES256/RS256/PS256: SHA-256; ...384; ...512; EdDSA with Ed25519: SHA-512). */
function hashFor(alg: string): string {
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'sha512';
  const bits = /(256|384|512)$/.exec(alg)?.[1];
  if (!bits) throw new Error(`authnest: no hash for JWS algorithm ${alg}`);
  return `sha${bits}`;
}

/**
 * `at_hash` / `c_hash` (OpenID Connect Core sections 3.1.3.6, 3.3.2.11): the base64url of the left half of the hash
 * of the ASCII value, with the hash of the ID token's `alg`.
 */
export function leftHalfHash(value: string, alg: string): string {
  const digest = createHash(hashFor(alg)).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
