import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/** A nonce a client used (OpenID Connect Core section 15.5.2), remembered to refuse its replay. */
@Entity({ name: 'authnest_nonces' })
export class NonceEntity {
  /** SHA-256 of the client id and the nonce: neither is stored. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index('authnest_nonces_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;
}
