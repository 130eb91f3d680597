import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/** Key lifecycle: `active` keys are published and the oldest signs; `retired` keys are only published. */
export type SigningKeyStatus = 'active' | 'retired';

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

  @Column({ name: 'private_jwk_encrypted', type: 'text' })
  privateJwkEncrypted: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'retire_after', type: 'bigint', nullable: true, transformer: epochMillis })
  retireAfter: number | null;
}
