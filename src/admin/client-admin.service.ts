import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { AuthEvents } from '../events/auth-events.service.js';
import type { ClientUpdatedEvent } from '../events/auth-event-map.js';
import { Clock } from '../internal/clock.js';
import { randomToken } from '../internal/random.js';
import type { ResolvedAuthOptions, ResolvedClientSeed } from '../options/resolved-options.js';
import type { ClientEntity } from '../persistence/entities/client.entity.js';
import { ClientStore } from '../persistence/stores/client.store.js';
import { ClientService, toClientInfo } from '../server/clients/client.service.js';
import { seedColumns } from '../server/clients/seed-columns.js';
import { GrantRegistry } from '../server/rfc6749/grants/grant-registry.service.js';
import { AuthAdminError } from './auth-admin.error.js';
import type { AdminClient, AdminOperationOptions, ClientChanges, CreatedClient, NewClient, RotatedClientSecret } from './auth-admin.types.js';
import { changedSeed, newClientSeed, validateClientMetadata, type ClientRules } from './client-metadata.js';
import { UNKNOWN_SERVER_SETTINGS, type ServerSetting } from './server-settings.js';

/** Bytes of a generated client secret (256 bits, 43 base64url characters) and of a generated client id (22 characters). */
const SECRET_BYTES = 32;
const CLIENT_ID_BYTES = 16;

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];

/**
 * The client half of `AuthAdminService`: create, read, change, disable and re-key clients. Secrets are generated
 * here, returned once and stored only as hashes (sealed too for `client_secret_jwt`). Changes go through the client
 * store, so this instance's client cache forgets the client at once; other instances see them within
 * `clientCacheTtl` (0 by default: at once).
 */
@Injectable()
export class ClientAdmin {
  private readonly rules: ClientRules;

  constructor(
    @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions,
    private readonly store: ClientStore,
    private readonly clients: ClientService,
    private readonly events: AuthEvents,
    private readonly clock: Clock,
    grants: GrantRegistry,
    @Optional() @Inject(UNKNOWN_SERVER_SETTINGS) unknown?: ReadonlySet<ServerSetting>,
  ) {
    this.rules = { options, hasGrant: (grantType) => grants.get(grantType) !== undefined, unknown: unknown ?? new Set() };
  }

  async create(input: NewClient, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<CreatedClient> {
    const clientId = input.clientId ?? randomToken(CLIENT_ID_BYTES);
    const { clientId: _id, ...metadata } = input;
    const { seed, needsSecret } = newClientSeed(clientId, metadata);
    const resolved = validateClientMetadata(seed, needsSecret, this.rules);
    if (await this.store.findById(clientId)) throw new AuthAdminError('conflict', `client ${clientId} already exists`);
    const clientSecret = needsSecret ? randomToken(SECRET_BYTES) : undefined;
    const client = await this.clients.upsert({ ...resolved, clientSecret });
    this.events.emit('authnest.client.registered', { clientId, source });
    return clientSecret === undefined ? { client } : { client, clientSecret };
  }

  async list(): Promise<AdminClient[]> {
    return (await this.store.findAll()).map(toClientInfo);
  }

  async get(clientId: string): Promise<AdminClient> {
    return (await this.clients.find(clientId)) ?? this.missing(clientId);
  }

  /**
   * Applies `changes` (validated with the rest of the client's metadata as a whole). The secret is kept; a client that
   * newly allows `client_secret_jwt` needs `rotateSecret` afterwards (its secret must be sealed, and only its hash is
   * known), and until then its assertions are refused.
   */
  async update(clientId: string, changes: ClientChanges, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<AdminClient> {
    const existing = await this.row(clientId);
    const resolved = validateClientMetadata(changedSeed(existing, changes), existing.secretHash !== null, this.rules);
    const secretJwt = resolved.authMethods.includes('client_secret_jwt');
    await this.store.save({ ...existing, ...this.columns(resolved), secretSealed: secretJwt ? existing.secretSealed : null, updatedAt: this.clock.now() });
    return this.changed(clientId, source, 'updated');
  }

  /** Sets the disabled flag (the caller revokes a disabled client's tokens). */
  async setDisabled(clientId: string, disabled: boolean, source: AdminOperationOptions['source'] = 'admin-service'): Promise<AdminClient> {
    const existing = await this.row(clientId);
    if (existing.disabled !== disabled) await this.clients.setDisabled(clientId, disabled);
    return this.changed(clientId, source, disabled ? 'disabled' : 'enabled');
  }

  /** A new secret for a client that authenticates with one; the previous secret stops working at once. */
  async rotateSecret(clientId: string, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<RotatedClientSecret> {
    const existing = await this.row(clientId);
    if (!existing.authMethods.some((method) => SECRET_METHODS.includes(method))) {
      throw new AuthAdminError('refused', `client ${clientId} does not authenticate with a secret (${existing.authMethods.join(', ')})`);
    }
    const clientSecret = randomToken(SECRET_BYTES);
    await this.store.save(await this.clients.withNewSecret(existing, clientSecret));
    await this.changed(clientId, source, 'secret-rotated');
    return { clientId, clientSecret };
  }

  private columns(resolved: ResolvedClientSeed): Partial<ClientEntity> {
    return {
      ...seedColumns(resolved),
      accessTokenFormat: resolved.accessTokenFormat ?? null,
      audience: resolved.audience ?? null,
      firstParty: resolved.firstParty,
      allowIntrospection: resolved.allowIntrospection,
    };
  }

  private async changed(clientId: string, source: AdminOperationOptions['source'] = 'admin-service', change: ClientUpdatedEvent['change']): Promise<AdminClient> {
    this.events.emit('authnest.client.updated', { clientId, source, change });
    return this.get(clientId);
  }

  private async row(clientId: string): Promise<ClientEntity> {
    if (typeof clientId !== 'string' || clientId === '') throw new AuthAdminError('invalid', 'a client id is required');
    return (await this.store.findById(clientId)) ?? this.missing(clientId);
  }

  private missing(clientId: string): never {
    throw new AuthAdminError('not_found', `no client ${clientId}`);
  }
}
