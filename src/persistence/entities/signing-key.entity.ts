import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/**
 * Key lifecycle (see `signing-key-lifecycle.ts`): `active` keys take part in signing from their activation on and are
 * published until their successor's tokens have all expired; `revoked` keys are never published nor used again;
 * `retired` (written by no release so far) keys are only published, until `retire_after`.
 */
export type SigningKeyStatus = 'active' | 'retired' | 'revoked';

/** A signing key. The private JWK is stored encrypted (AES-256-GCM), never in clear. */
@Entity({ name: 'authnest_signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  alg: string;

  @Column({ type: 'varchar', length: 16 })
  status: SigningKeyStatus;

  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk: string;

  /** Empty once the key is revoked. */
  @Column({ name: 'private_jwk_encrypted', type: 'text' })
  privateJwkEncrypted: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'retire_after', type: 'bigint', nullable: true, transformer: epochMillis })
  retireAfter: number | null;

  /** When the key starts signing; null: `signing.propagationDelay` after `createdAt` (a rotated key). */
  @Column({ name: 'activate_at', type: 'bigint', nullable: true, transformer: epochMillis })
  activateAt: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt: number | null;
}
