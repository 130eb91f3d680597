import { Inject, Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import { randomToken } from '../../internal/random.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { ConsentEntity } from '../entities/consent.entity.js';

/** Remembered consents, one row per account and client. */
@Injectable()
export class ConsentStore {
  private readonly repository: Repository<ConsentEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(ConsentEntity);
  }

  find(accountId: string, clientId: string): Promise<ConsentEntity | null> {
    return this.repository.findOneBy({ accountId, clientId });
  }

  /** Records the union of the already approved and the newly approved scopes. */
  async remember(accountId: string, clientId: string, scopes: readonly string[], claims: readonly string[], now: number): Promise<void> {
    const existing = await this.find(accountId, clientId);
    const merged = [...new Set([...(existing?.scopes ?? []), ...scopes])];
    const mergedClaims = [...new Set([...(existing?.claims ?? []), ...claims])];
    if (existing) {
      await this.repository.update({ id: existing.id }, { scopes: merged, claims: mergedClaims, updatedAt: now });
      return;
    }
    await this.repository
      .createQueryBuilder()
      .insert()
      .values({ id: randomToken(16), accountId, clientId, scopes: merged, claims: mergedClaims, updatedAt: now })
      .orIgnore()
      .execute();
  }

  /** Forgets what the account approved for the client. */
  async revoke(accountId: string, clientId: string): Promise<void> {
    await this.repository.delete({ accountId, clientId });
  }
}
