import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/** Where a device authorization request stands (RFC 8628 section 3.3: the user approves or denies it). */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied';

/**
 * A device authorization request (RFC 8628 section 3.1): the device code by SHA-256 hash, the user code by
 * HMAC-SHA-256 under a server key (its 34.5 bits would fall to a brute force of a plain hash), the client and scopes,
 * the user's decision, and the polling state. Redemption is single use (`consumedAt`, set atomically). Its id is the
 * grant id of every token issued from it (`grant_id`), so revoking one refresh token revokes them all.
 */
@Entity({ name: 'authnest_device_codes' })
export class DeviceCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index('authnest_device_codes_device_hash_uq', { unique: true })
  @Column({ name: 'device_code_hash', type: 'varchar', length: 64 })
  deviceCodeHash: string;

  @Index('authnest_device_codes_user_hash_uq', { unique: true })
  @Column({ name: 'user_code_hash', type: 'varchar', length: 64 })
  userCodeHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** The scopes asked for; after approval, the scopes the user granted. */
  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ type: 'varchar', length: 16 })
  status: DeviceCodeStatus;

  /** Who approved it (null until then). */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  /** When that user authenticated (ms). */
  @Column({ name: 'auth_time', type: 'bigint', nullable: true, transformer: epochMillis })
  authTime: number | null;

  /** Authentication context class and methods of the login (OpenID Connect Core section 2). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  acr: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonList })
  amr: string[];

  /** Seconds the device must wait between polls; grows by 5 with every `slow_down` (RFC 8628 section 3.5). */
  @Column({ name: 'poll_interval', type: 'integer' })
  pollInterval: number;

  @Column({ name: 'last_polled_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastPolledAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Index('authnest_device_codes_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  /** When the user approved or denied it. */
  @Column({ name: 'decided_at', type: 'bigint', nullable: true, transformer: epochMillis })
  decidedAt: number | null;

  /** When the device redeemed it for tokens (once). */
  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt: number | null;

  /** RFC 8707: the resources the device authorization request named; [] when none. */
  @Column({ type: 'text', nullable: true, transformer: jsonList })
  resources: string[];
}
