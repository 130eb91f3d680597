import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/**
 * A pushed authorization request (RFC 9126 section 2): known by the SHA-256 hash of the random reference in its
 * `request_uri` (never the reference), the client that pushed it, its validated parameters as JSON (without client
 * credentials), and its expiry. `consumedAt` makes it single use: set once, atomically, by the authorization endpoint.
 */
@Entity({ name: 'authnest_pushed_requests' })
export class PushedRequestEntity {
  @PrimaryColumn({ name: 'reference_hash', type: 'varchar', length: 64 })
  referenceHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** The authorization request's parameters (a JSON object of strings). */
  @Column({ type: 'text' })
  parameters: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Index('authnest_pushed_requests_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  /** When the authorization endpoint used it (once). */
  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt: number | null;
}
