import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/** A client that received a code in a login session: told by back-channel logout when the session ends. */
@Entity({ name: 'authnest_session_clients' })
export class SessionClientEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sid: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** When the session ends at the latest (ms): the row is purged then. */
  @Index('authnest_session_clients_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;
}
