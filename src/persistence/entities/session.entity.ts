import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/** A browser login session. The cookie carries a random token; only its SHA-256 hash is stored. */
@Entity({ name: 'authnest_sessions' })
export class SessionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @Column({ name: 'auth_time', type: 'bigint', transformer: epochMillis })
  authTime: number;

  @Index('authnest_sessions_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  /** The session's public identifier (`sid` of ID and logout tokens), unrelated to the cookie's token. */
  @Index('authnest_sessions_sid_uq', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sid: string | null;

  /** Authentication context class and methods of the login (OpenID Connect Core section 2). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  acr: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonList })
  amr: string[];
}
