import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/** An opaque access token. Only the SHA-256 hash of the token is stored, under a unique index. */
@Entity({ name: 'authnest_access_tokens' })
export class AccessTokenEntity {
  /** The token identifier (`jti`), not the token. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index('authnest_access_tokens_hash_uq', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'varchar', length: 255 })
  subject: string;

  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ type: 'varchar', length: 1024 })
  audience: string;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMillis })
  issuedAt: number;

  @Index('authnest_access_tokens_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt: number | null;
}
