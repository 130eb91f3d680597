import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/**
 * A pending authorization request while the user logs in and consents. Known by the SHA-256 hash of its
 * random id (the id travels in the page URL and in a signed cookie binding it to the browser).
 * `request` is the validated authorization request as JSON; `completedAt` makes it single use.
 */
@Entity({ name: 'authnest_interactions' })
export class InteractionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'text' })
  request: string;

  /** The account that logged in during this interaction (or came with the session). */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @Column({ name: 'auth_time', type: 'bigint', nullable: true, transformer: epochMillis })
  authTime: number | null;

  /** Anti-CSRF token of the interaction's forms. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @Index('authnest_interactions_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ name: 'completed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  completedAt: number | null;
}
