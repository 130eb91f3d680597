import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/**
 * An authorization code (RFC 6749 section 4.1.2), stored by SHA-256 hash and bound to its client, redirect
 * URI, PKCE challenge, scopes and account. Single use: `consumedAt` is set atomically on redemption. Its id
 * is also the grant id of every token issued from it (`grant_id`), so a replay can revoke them all.
 */
@Entity({ name: 'authnest_authorization_codes' })
export class AuthorizationCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index('authnest_authorization_codes_hash_uq', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri: string;

  /** Whether the authorization request named `redirect_uri` (then the token request must repeat it). */
  @Column({ name: 'redirect_uri_sent', type: 'boolean' })
  redirectUriSent: boolean;

  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ name: 'code_challenge', type: 'varchar', length: 128, nullable: true })
  codeChallenge: string | null;

  @Column({ name: 'code_challenge_method', type: 'varchar', length: 8, nullable: true })
  codeChallengeMethod: string | null;

  /** OpenID Connect `nonce`, echoed in the ID token. */
  @Column({ type: 'text', nullable: true })
  nonce: string | null;

  /** When the user authenticated (ms). */
  @Column({ name: 'auth_time', type: 'bigint', transformer: epochMillis })
  authTime: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Index('authnest_authorization_codes_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt: number | null;

  /** The login session the code was issued in. */
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

  /** RFC 8707: the resources the authorization request named (the token requests may pick among them); [] when none. */
  @Column({ type: 'text', nullable: true, transformer: jsonList })
  resources: string[];

  /** RFC 9449 section 10: the `dpop_jkt` of the authorization request; the code is redeemed only with a proof of that key. */
  @Column({ name: 'dpop_jkt', type: 'varchar', length: 64, nullable: true })
  dpopJkt: string | null;
}
