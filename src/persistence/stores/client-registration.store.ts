import { Inject, Injectable } from '@nestjs/common';
import { IsNull, Not, type EntityManager, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { AuthorizationCodeEntity } from '../entities/authorization-code.entity.js';
import { ClientEntity } from '../entities/client.entity.js';
import { ConsentEntity } from '../entities/consent.entity.js';
import { DeviceCodeEntity } from '../entities/device-code.entity.js';
import { InteractionEntity } from '../entities/interaction.entity.js';
import { RefreshTokenEntity } from '../entities/refresh-token.entity.js';
import { SessionClientEntity } from '../entities/session-client.entity.js';
import { ClientStore } from './client.store.js';

/** `jwks` is a JSON column (a transformer): TypeORM's deep-partial type cannot follow its free-form members. */
type Row = QueryDeepPartialEntity<ClientEntity>;

/**
 * Dynamically registered clients (RFC 7591, RFC 7592): found by the SHA-256 of their registration access token;
 * every change is conditional on the token presented still being the current one, so of two concurrent updates with
 * one token exactly one wins and a rotated token never works again.
 */
@Injectable()
export class ClientRegistrationStore {
  private readonly repository: Repository<ClientEntity>;

  constructor(
    @Inject(AUTH_DATA_SOURCE) private readonly handle: AuthDataSource,
    /** Every change here also drops the client from what `ClientStore` remembers. */
    private readonly clients: ClientStore,
  ) {
    this.repository = handle.dataSource.getRepository(ClientEntity);
  }

  /** The registered client whose current registration access token has this hash. */
  findByTokenHash(tokenHash: string): Promise<ClientEntity | null> {
    return this.repository.findOneBy({ registrationTokenHash: tokenHash, registeredAt: Not(IsNull()) });
  }

  async insert(client: ClientEntity): Promise<void> {
    await this.repository.insert(client as Row);
    this.clients.forget(client.clientId);
  }

  /** Replaces a registered client's row while `tokenHash` is its token; resolves false when it no longer is. */
  async replace(client: ClientEntity, tokenHash: string): Promise<boolean> {
    const { clientId, ...changes } = client;
    this.clients.forget(clientId);
    try {
      const result = await this.repository.update({ clientId, registrationTokenHash: tokenHash, registeredAt: Not(IsNull()) }, changes as Row);
      return result.affected === 1;
    } finally {
      this.clients.forget(clientId);
    }
  }

  /** Forgets a registration access token (misused on another client's URL): the client can no longer be managed. */
  async revokeToken(clientId: string, tokenHash: string): Promise<void> {
    await this.repository.update({ clientId, registrationTokenHash: tokenHash }, { registrationTokenHash: null, registrationTokenExpiresAt: null });
    this.clients.forget(clientId);
  }

  /**
   * Deletes a registered client while `tokenHash` is its token, in one transaction with what it was given: access and
   * refresh tokens are revoked (so introspection and the bearer guard see them inactive at once), codes, consents,
   * pending interactions, device requests and session memberships are deleted. Resolves false when the token is no
   * longer current (nothing changed).
   */
  async deleteRegistered(clientId: string, tokenHash: string, now: number): Promise<boolean> {
    this.clients.forget(clientId);
    try {
      return await this.deleteRegisteredRows(clientId, tokenHash, now);
    } finally {
      this.clients.forget(clientId);
    }
  }

  private deleteRegisteredRows(clientId: string, tokenHash: string, now: number): Promise<boolean> {
    return this.handle.dataSource.transaction(async (manager: EntityManager) => {
      const deleted = await manager.delete(ClientEntity, { clientId, registrationTokenHash: tokenHash, registeredAt: Not(IsNull()) });
      if (deleted.affected !== 1) return false;
      await manager.update(AccessTokenEntity, { clientId, revokedAt: IsNull() }, { revokedAt: now });
      await manager.update(RefreshTokenEntity, { clientId, revokedAt: IsNull() }, { revokedAt: now });
      for (const entity of [AuthorizationCodeEntity, ConsentEntity, InteractionEntity, DeviceCodeEntity, SessionClientEntity]) {
        await manager.delete(entity, { clientId });
      }
      return true;
    });
  }
}
