import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/**
 * An entry of the OAuth client's store (`OAuthClientModule`): a login attempt, a signed-in user's session. Known by
 * the SHA-256 hash of its key (the key travels in a cookie or the `state` parameter); the value is JSON, with
 * refresh tokens sealed (AES-256-GCM).
 */
@Entity({ name: 'authnest_client_entries' })
export class ClientEntryEntity {
  @PrimaryColumn({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ type: 'text' })
  value: string;

  @Index('authnest_client_entries_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;
}
