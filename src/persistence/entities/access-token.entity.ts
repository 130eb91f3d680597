import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/**
 * An issued access token (opaque or JWT), keyed by its id (`jti`, time-ordered: new rows go at the end of the primary
 * key), which the token carries (an opaque token's prefix, a JWT's `jti` claim). The row holds the SHA-256 hash of the
 * whole token, never the token; a presented token is the row's only when the hashes are equal. Rows let introspection
 * and revocation answer for both formats.
 */
@Entity({ name: 'authnest_access_tokens' })
export class AccessTokenEntity {
  /** The token identifier (`jti`), not the token. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  /** SHA-256 (hex) of the whole token. Not indexed: tokens are found by id, then checked against it. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** `jwt` or `opaque`. */
  @Column({ type: 'varchar', length: 16, default: 'opaque' })
  format: string;

  /**
   * The grant (authorization code / refresh-token family) the token came from, to revoke them together. Indexed only
   * where set (client_credentials tokens have none, and cost no index entry).
   */
  @Index('authnest_access_tokens_grant_idx', { where: '"grant_id" IS NOT NULL' })
  @Column({ name: 'grant_id', type: 'varchar', length: 64, nullable: true })
  grantId: string | null;

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

  /** The login session (`sid`) the grant was made in; its logout ends the grant unless it has `offline_access`. */
  @Index('authnest_access_tokens_sid_idx', { where: '"sid" IS NOT NULL' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sid: string | null;

  /** Claims asked for by the `claims` request parameter (JSON, OpenID Connect Core section 5.5), if any. */
  @Column({ type: 'text', nullable: true })
  claims: string | null;

  /** RFC 8693 section 4.1: the actor chain (`act` claim, JSON) of a token issued by token exchange, if any. */
  @Column({ type: 'text', nullable: true })
  act: string | null;

  /** RFC 8693 section 4.4: who may act for the token's subject (`may_act` claim, JSON), if anyone is named. */
  @Column({ name: 'may_act', type: 'text', nullable: true })
  mayAct: string | null;

  /** RFC 9449: the JWK SHA-256 thumbprint (RFC 7638) of the DPoP key the token is bound to; null for a bearer token. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  jkt: string | null;
}
