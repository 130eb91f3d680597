import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager, type FindOptionsWhere, type QueryDeepPartialEntity } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { AuthorizationCodeEntity } from '../entities/authorization-code.entity.js';
import { ConsentEntity } from '../entities/consent.entity.js';
import { DeviceCodeEntity } from '../entities/device-code.entity.js';
import { RefreshTokenEntity } from '../entities/refresh-token.entity.js';

/** Whose grants: a user (the token's subject, a code's or refresh token's account) or a client. */
export type GrantOwner = { subject: string } | { clientId: string };

/** What one sweep revoked: live tokens revoked, pending codes spent, remembered consents forgotten. */
export interface SweptGrants {
  accessTokens: number;
  refreshTokens: number;
  /** Authorization codes and device codes not redeemed yet, marked used (a later redemption is refused). */
  codes: number;
  consents: number;
}

/**
 * Revokes everything issued to one user or one client, in one transaction: live access and refresh tokens (revoked,
 * kept until they expire so reuse is still recognised), unredeemed authorization and device codes (marked used), and
 * remembered consents (deleted: the user is asked again). For the admin service; the scans are unindexed (a rare,
 * deliberate operation on tables the purge keeps small).
 */
@Injectable()
export class OwnerGrantsStore {
  constructor(@Inject(AUTH_DATA_SOURCE) private readonly handle: AuthDataSource) {}

  revokeAll(owner: GrantOwner, now: number): Promise<SweptGrants> {
    return this.handle.dataSource.transaction(async (manager) => ({
      accessTokens: await this.update(manager, AccessTokenEntity, 'clientId' in owner ? { clientId: owner.clientId } : { subject: owner.subject }, { revokedAt: now }, 'revokedAt'),
      refreshTokens: await this.update(manager, RefreshTokenEntity, this.accountOrClient(owner), { revokedAt: now }, 'revokedAt'),
      codes:
        (await this.update(manager, AuthorizationCodeEntity, this.accountOrClient(owner), { consumedAt: now }, 'consumedAt')) +
        (await this.update(manager, DeviceCodeEntity, this.accountOrClient(owner), { consumedAt: now }, 'consumedAt')),
      consents: (await manager.delete(ConsentEntity, this.accountOrClient(owner))).affected ?? 0,
    }));
  }

  /** Ids of the owner's access tokens revoked at exactly `at` (by the sweep that used that instant). */
  async accessTokensRevokedAt(owner: GrantOwner, at: number): Promise<string[]> {
    const where = { ...('clientId' in owner ? { clientId: owner.clientId } : { subject: owner.subject }), revokedAt: at };
    const rows = await this.handle.dataSource.getRepository(AccessTokenEntity).find({ where, select: { id: true } });
    return rows.map((row) => row.id);
  }

  private accountOrClient(owner: GrantOwner): { accountId: string } | { clientId: string } {
    return 'clientId' in owner ? { clientId: owner.clientId } : { accountId: owner.subject };
  }

  private async update<T extends object>(
    manager: EntityManager,
    entity: new () => T,
    where: Record<string, unknown>,
    set: Record<string, number>,
    unsetColumn: string,
  ): Promise<number> {
    const condition = { ...where, [unsetColumn]: IsNull() } as FindOptionsWhere<T>;
    return (await manager.update(entity, condition, set as unknown as QueryDeepPartialEntity<T>)).affected ?? 0;
  }
}
