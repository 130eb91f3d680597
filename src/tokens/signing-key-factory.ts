import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';
import type { SecretBox } from './secret-box.js';

/** A private signing key with its identity. */
export interface UnsealedSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/**
 * A new key pair of `alg` as a row: a random `kid` (hex), the public JWK, the private JWK sealed with `box`. `activateAt`
 * null: it signs `signing.propagationDelay` after `createdAt` (a rotation); a time: from then on (a first or
 * replacement key).
 */
export async function generateSigningKey(alg: string, box: SecretBox, createdAt: number, activateAt: number | null): Promise<SigningKeyEntity> {
  const options = alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  return {
    // 128 random bits in hex: a kid never starts with '-', which a command line (`authnest keys revoke KID`) would
    // read as an option.
    kid: randomBytes(16).toString('hex'),
    alg,
    status: 'active',
    publicJwk: JSON.stringify(await exportJWK(publicKey)),
    privateJwkEncrypted: box.seal(JSON.stringify(await exportJWK(privateKey))),
    createdAt,
    retireAfter: null,
    activateAt,
    revokedAt: null,
  };
}

/** Opens a stored key with `box`; the error names the key and the likely cause, never the secret. */
export async function unsealSigningKey(key: SigningKeyEntity, box: SecretBox): Promise<UnsealedSigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(box.open(key.privateJwkEncrypted)) as JWK;
  } catch {
    throw new Error(
      `authnest: signing key ${key.kid} cannot be decrypted: signing.encryptionSecret differs from the one it was sealed with`,
    );
  }
  const privateKey = await importJWK(jwk, key.alg);
  if (privateKey instanceof Uint8Array) throw new Error('authnest: symmetric signing keys are not supported');
  return { kid: key.kid, alg: key.alg, privateKey };
}
