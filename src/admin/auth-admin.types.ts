import type { AdminSource } from '../events/auth-event-map.js';
import type { ClientSeed } from '../options/client-seed.interface.js';
import type { SigningAlgorithm } from '../options/auth-options.interface.js';
import type { GrantOwner, SweptGrants } from '../persistence/stores/owner-grants.store.js';
import type { ClientInfo } from '../server/clients/client.service.js';
import type { SigningKeyInfo } from '../tokens/signing-keys.service.js';

export type { GrantOwner, SweptGrants } from '../persistence/stores/owner-grants.store.js';

/** Who asked for an admin operation: recorded as the `source` of the events it emits. */
export interface AdminOperationOptions {
  /**
   * The `source` of the events the operation emits.
   * @default 'admin-service'
   */
  source?: Extract<AdminSource, 'admin-service' | 'cli'>;
}

/**
 * A new client's metadata: a `ClientSeed` without the secret (authnest generates it). Validated like seeds.
 * A confidential client (the default) gets a generated secret; `authMethods: ['none']` makes a public client,
 * `jwks`/`jwksUri` a `private_key_jwt` client without a secret.
 */
export interface NewClient extends Omit<ClientSeed, 'clientId' | 'clientSecret'> {
  /**
   * The `client_id`: printable ASCII, no spaces.
   * @default a random 22-character id
   */
  clientId?: string;
}

/** Changes to a client: each field given replaces the stored one (lists are replaced, not merged). */
export type ClientChanges = Partial<Omit<ClientSeed, 'clientId' | 'clientSecret'>>;

/** A client as the admin service describes it: no secret, no hash; `disabled` tells whether it may authenticate. */
export type AdminClient = ClientInfo;

/** A created client, with its secret shown this once (absent for public and key-authenticated clients). */
export interface CreatedClient {
  client: AdminClient;
  /** The generated secret: give it to the client's owner now; only its hash is stored. */
  clientSecret?: string;
}

/** A client's new secret, shown this once; the previous secret stopped working. */
export interface RotatedClientSecret {
  clientId: string;
  clientSecret: string;
}

/** What `disableClient` did. */
export interface DisabledClient {
  client: AdminClient;
  /** The client's tokens and codes revoked with it (a disabled client's tokens stop working). */
  revoked: SweptGrants;
}

/** Options of `AuthAdminService.rotateKey()`. */
export interface AdminRotateKeyOptions extends AdminOperationOptions {
  /**
   * Algorithm of the new key.
   * @default signing.algorithm
   */
  algorithm?: SigningAlgorithm;
}

/** What `revokeGrants` revoked, and for whom. */
export interface RevokedGrants extends SweptGrants {
  owner: GrantOwner;
}

/** Where the database's schema stands against the migrations this version of authnest ships. */
export interface MigrationStatus {
  /** Names of the migrations applied, oldest first. */
  applied: string[];
  /** Names of the migrations not applied yet: the app (with `migrations: 'check'`) and the CLI refuse to run. */
  pending: string[];
  upToDate: boolean;
}

export type { SigningKeyInfo };
