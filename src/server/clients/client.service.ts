import { Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { ResolvedClientSeed } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { hashClientSecret, verifyClientSecret } from '../../tokens/client-secret-hasher.js';

/** A client's public description (no secret, no hash). */
export type ClientInfo = Omit<ClientEntity, 'secretHash'> & { confidential: boolean };

function toInfo({ secretHash, ...rest }: ClientEntity): ClientInfo {
  return { ...rest, confidential: secretHash !== null };
}

/** Creates and updates clients. Secrets are hashed with scrypt before they reach the database. */
@Injectable()
export class ClientService {
  constructor(
    private readonly store: ClientStore,
    private readonly clock: Clock,
  ) {}

  async find(clientId: string): Promise<ClientInfo | undefined> {
    const client = await this.store.findById(clientId);
    return client ? toInfo(client) : undefined;
  }

  /**
   * Creates the client, or updates its metadata when it exists. The stored secret hash changes only
   * when the given secret no longer matches it (so restarts keep hashes and caches stable).
   */
  async upsert(seed: ResolvedClientSeed): Promise<ClientInfo> {
    const now = this.clock.now();
    const existing = await this.store.findById(seed.clientId);
    const keepHash = existing?.secretHash && seed.clientSecret && (await verifyClientSecret(seed.clientSecret, existing.secretHash));
    const secretHash = keepHash ? existing.secretHash : seed.clientSecret ? await hashClientSecret(seed.clientSecret) : null;
    const client: ClientEntity = {
      clientId: seed.clientId,
      secretHash,
      name: seed.name,
      authMethods: seed.authMethods,
      grantTypes: seed.grantTypes,
      scopes: seed.scopes,
      defaultScopes: seed.defaultScopes,
      redirectUris: seed.redirectUris,
      accessTokenFormat: seed.accessTokenFormat ?? null,
      audience: seed.audience ?? null,
      disabled: existing?.disabled ?? false,
      firstParty: seed.firstParty,
      allowIntrospection: seed.allowIntrospection,
      postLogoutRedirectUris: seed.postLogoutRedirectUris ?? [],
      backchannelLogoutUri: seed.backchannelLogoutUri ?? null,
      subjectType: seed.subjectType ?? 'public',
      sectorIdentifier: seed.sectorIdentifier ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (!existing) await this.store.insertIfAbsent(client);
    else await this.store.save(client);
    return toInfo(client);
  }

  /** Disables (true) or re-enables (false) a client; a disabled client cannot authenticate. */
  async setDisabled(clientId: string, disabled: boolean): Promise<void> {
    const client = await this.store.findById(clientId);
    if (!client) return;
    await this.store.save({ ...client, disabled, updatedAt: this.clock.now() });
  }
}
