import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { ResolvedClientSeed } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { hashClientSecret, verifyClientSecret } from '../../tokens/client-secret-hasher.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';
import { SecretBox } from '../../tokens/secret-box.js';
import { isConfidentialClient } from './client-kind.js';
import { seedColumns } from './seed-columns.js';
import { NOT_REGISTERED } from '../rfc7591/registration-columns.js';

/** A client's public description (no secret, no hash). */
export type ClientInfo = Omit<ClientEntity, 'secretHash' | 'secretSealed' | 'registrationTokenHash'> & { confidential: boolean };

/** A stored client as `ClientInfo` (without its secret hash, seal and registration token hash). */
export function toClientInfo(client: ClientEntity): ClientInfo {
  const { secretHash: _hash, secretSealed: _sealed, registrationTokenHash: _registration, ...rest } = client;
  return { ...rest, confidential: isConfidentialClient(client) };
}

/** HKDF purpose of the key that seals `client_secret_jwt` secrets. */
export const CLIENT_SECRET_PURPOSE = 'authnest client secrets v1';

/**
 * Creates and updates clients. Secrets are hashed with scrypt before they reach the database; a
 * `client_secret_jwt` client's secret is also sealed (AES-256-GCM), since it is the HMAC key of its assertions.
 */
@Injectable()
export class ClientService {
  private readonly box: SecretBox;

  constructor(
    private readonly store: ClientStore,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) secret: string,
  ) {
    this.box = new SecretBox(secret, CLIENT_SECRET_PURPOSE);
  }

  async find(clientId: string): Promise<ClientInfo | undefined> {
    const client = await this.store.findById(clientId);
    return client ? toClientInfo(client) : undefined;
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
      ...seedColumns(seed),
      secretHash,
      accessTokenFormat: seed.accessTokenFormat ?? null,
      audience: seed.audience ?? null,
      disabled: existing?.disabled ?? false,
      firstParty: seed.firstParty,
      allowIntrospection: seed.allowIntrospection,
      secretSealed: seed.clientSecret && seed.authMethods.includes('client_secret_jwt') ? this.sealedSecret(existing, seed.clientSecret) : null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...NOT_REGISTERED,
    };
    if (!existing) await this.store.insertIfAbsent(client);
    else await this.store.save(client);
    return toClientInfo(client);
  }

  /** The existing sealed secret when it still holds `secret` (restarts keep rows stable), else a new seal. */
  private sealedSecret(existing: ClientEntity | null, secret: string): string {
    if (existing?.secretSealed) {
      try {
        if (this.box.open(existing.secretSealed) === secret) return existing.secretSealed;
      } catch {
        // sealed under another encryption secret: seal again
      }
    }
    return this.box.seal(secret);
  }

  /**
   * The client with a new secret: its scrypt hash, and for `client_secret_jwt` its seal; the previous secret no longer
   * matches (the verified-secret cache is keyed by the hash). Not saved: the caller saves it.
   */
  async withNewSecret(client: ClientEntity, secret: string): Promise<ClientEntity> {
    const sealed = client.authMethods.includes('client_secret_jwt') ? this.box.seal(secret) : null;
    return { ...client, secretHash: await hashClientSecret(secret), secretSealed: sealed, updatedAt: this.clock.now() };
  }

  /** Disables (true) or re-enables (false) a client; a disabled client cannot authenticate. */
  async setDisabled(clientId: string, disabled: boolean): Promise<void> {
    const client = await this.store.findById(clientId);
    if (!client) return;
    await this.store.save({ ...client, disabled, updatedAt: this.clock.now() });
  }
}
