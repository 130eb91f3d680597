import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/**
 * A refresh token, stored by SHA-256 hash. Every rotation creates a new row in the same family
 * (`grantId`, the id of the authorization code that started it) and marks the old one `rotatedAt`;
 * presenting a rotated token outside the grace window revokes the family.
 */
@Entity({ name: 'authnest_refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index('authnest_refresh_tokens_hash_uq', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Index('authnest_refresh_tokens_grant_idx')
  @Column({ name: 'grant_id', type: 'varchar', length: 64 })
  grantId: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  /** The scopes of the original grant (a refresh may narrow the access token, never this). */
  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ name: 'auth_time', type: 'bigint', transformer: epochMillis })
  authTime: number;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMillis })
  issuedAt: number;

  /** Idle expiry of this token (ms). */
  @Index('authnest_refresh_tokens_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  /** Absolute end of the family (ms): rotation never extends past it. */
  @Column({ name: 'grant_expires_at', type: 'bigint', transformer: epochMillis })
  grantExpiresAt: number;

  @Column({ name: 'rotated_at', type: 'bigint', nullable: true, transformer: epochMillis })
  rotatedAt: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt: number | null;

  /** The login session (`sid`) the grant was made in; its logout ends the grant unless it has `offline_access`. */
  @Index('authnest_refresh_tokens_sid_idx')
  @Column({ type: 'varchar', length: 64, nullable: true })
  sid: string | null;

  /** Authentication context class and methods of the login (OpenID Connect Core section 2). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  acr: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonList })
  amr: string[];

  /** Claims asked for by the `claims` request parameter (JSON, OpenID Connect Core section 5.5), if any. */
  @Column({ type: 'text', nullable: true })
  claims: string | null;

  /** RFC 8707: the grant's resources, kept by every rotation; each refresh may pick one. [] when none. */
  @Column({ type: 'text', nullable: true, transformer: jsonList })
  resources: string[];

  /** RFC 9449 section 5: the DPoP key thumbprint a public client's refresh token is bound to (kept by rotation); else null. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  jkt: string | null;
}
