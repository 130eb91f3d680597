import { Inject, Injectable } from '@nestjs/common';
import { AUTH_DATA_SOURCE } from '../auth.tokens.js';
import type { AuthDataSource } from '../persistence/auth-data-source.js';
import { readMigrationNames } from '../persistence/migration-status.js';
import type { RotatedSigningKey, SigningKeyInfo } from '../tokens/signing-keys.service.js';
import type {
  AdminClient,
  AdminOperationOptions,
  AdminRotateKeyOptions,
  ClientChanges,
  CreatedClient,
  DisabledClient,
  GrantOwner,
  MigrationStatus,
  NewClient,
  RevokedGrants,
  RotatedClientSecret,
} from './auth-admin.types.js';
import { ClientAdmin } from './client-admin.service.js';
import { GrantAdmin } from './grant-admin.service.js';
import { KeyAdmin } from './key-admin.service.js';

/**
 * Day-to-day administration of the authorization server, injectable anywhere `AuthModule` is visible, and what the
 * `authnest` CLI runs (it boots `AuthModule` in a Nest application context and calls this service): clients, signing
 * keys, grants, the purge and the migration state. Every change emits its event (`AuthEvents`: `clientRegistered`,
 * `clientUpdated`, `keyRotated`, `keyRetired`, `grantsRevoked`) with `source` `'admin-service'` (or `'cli'`).
 * Refusals throw `AuthAdminError` (`not_found`, `invalid`, `conflict`, `refused`); secrets appear only in the return
 * values of `createClient` and `rotateClientSecret`, once.
 */
@Injectable()
export class AuthAdminService {
  constructor(
    private readonly clients: ClientAdmin,
    private readonly keys: KeyAdmin,
    private readonly grants: GrantAdmin,
    @Inject(AUTH_DATA_SOURCE) private readonly handle: AuthDataSource,
  ) {}

  /** Creates a client, validated like a seed; a confidential client's generated secret is returned this once. */
  createClient(input: NewClient, options?: AdminOperationOptions): Promise<CreatedClient> {
    return this.clients.create(input, options);
  }

  /** Every client (registered, seeded or created here), by id, without secrets. */
  listClients(): Promise<AdminClient[]> {
    return this.clients.list();
  }

  /** One client; `AuthAdminError('not_found')` when there is none. */
  getClient(clientId: string): Promise<AdminClient> {
    return this.clients.get(clientId);
  }

  /**
   * Changes a client's metadata (redirect URIs, scopes, grant types, name...): the fields given replace the stored
   * ones, and the result is validated as a whole like a seed. The secret is kept. A seeded client is seeded again at
   * the app's next boot: change it in the app's options instead.
   */
  updateClient(clientId: string, changes: ClientChanges, options?: AdminOperationOptions): Promise<AdminClient> {
    return this.clients.update(clientId, changes, options);
  }

  /**
   * Disables a client: it can no longer authenticate anywhere (token, PAR, device authorization, introspection,
   * revocation, registration management) nor start a browser flow, and its live tokens and unredeemed codes are
   * revoked (`revokeGrants({ clientId })`): they stop working at once here, on other instances as `revokeGrants` says.
   * Re-enabling does not bring them back.
   */
  async disableClient(clientId: string, options: AdminOperationOptions = {}): Promise<DisabledClient> {
    const client = await this.clients.setDisabled(clientId, true, options.source);
    const { owner: _owner, ...revoked } = await this.grants.revoke({ clientId }, options);
    return { client, revoked };
  }

  /** Lets a disabled client authenticate again (its revoked tokens stay revoked). */
  enableClient(clientId: string, options: AdminOperationOptions = {}): Promise<AdminClient> {
    return this.clients.setDisabled(clientId, false, options.source);
  }

  /** A new generated secret, returned this once; the previous one stops working at once on this instance. */
  rotateClientSecret(clientId: string, options?: AdminOperationOptions): Promise<RotatedClientSecret> {
    return this.clients.rotateSecret(clientId, options);
  }

  /** Every signing key with its place in the lifecycle, oldest first (no key material). */
  listKeys(): Promise<SigningKeyInfo[]> {
    return this.keys.list();
  }

  /** Publishes a new signing key; every instance signs with it `signing.propagationDelay` later. */
  rotateKey(options?: AdminRotateKeyOptions): Promise<RotatedSigningKey> {
    return this.keys.rotate(options);
  }

  /** Retires a key that does not sign: published until its tokens have expired, then purged. */
  retireKey(kid: string, options?: AdminOperationOptions): Promise<SigningKeyInfo> {
    return this.keys.retire(kid, options);
  }

  /** Revokes a key at once (compromised): out of the JWKS, never used again. */
  revokeKey(kid: string, options?: AdminOperationOptions): Promise<SigningKeyInfo> {
    return this.keys.revoke(kid, options);
  }

  /** Revokes every token and code of a user (`{ subject }`) or a client (`{ clientId }`), and their remembered consents. */
  revokeGrants(owner: GrantOwner, options?: AdminOperationOptions): Promise<RevokedGrants> {
    return this.grants.revoke(owner, options);
  }

  /** Deletes expired tokens, codes, sessions, interactions, rate-limit windows and retired keys; resolves how many rows. */
  purgeExpired(): Promise<number> {
    return this.grants.purgeExpired();
  }

  /** Which migrations of the database's DataSource ran and which are pending. */
  async migrationStatus(): Promise<MigrationStatus> {
    const { applied, pending } = await readMigrationNames(this.handle.dataSource);
    return { applied, pending, upToDate: pending.length === 0 };
  }
}
