import { Inject, Injectable } from '@nestjs/common';
import { LessThanOrEqual, MoreThan, QueryFailedError, type Repository } from 'typeorm';
import type { OAuthClientStore } from '../../client/oauth-client-store.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { ClientEntryEntity } from '../entities/client-entry.entity.js';

/** DI token of the OAuth client's DataSource handle (`AuthDataSource`). */
export const CLIENT_DATA_SOURCE = Symbol('authnest:client-data-source');

/** The OAuth client's entries by key hash, with expiry; `take` is single use under concurrency. */
@Injectable()
export class ClientEntryStore implements OAuthClientStore {
  private readonly repository: Repository<ClientEntryEntity>;

  constructor(@Inject(CLIENT_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(ClientEntryEntity);
  }

  async set(keyHash: string, value: string, expiresAt: number): Promise<void> {
    await this.repository.upsert({ keyHash, value, expiresAt }, ['keyHash']);
  }

  async get(keyHash: string, now: number): Promise<string | undefined> {
    return (await this.repository.findOneBy({ keyHash, expiresAt: MoreThan(now) }))?.value;
  }

  /** Reads and deletes the entry; of concurrent takers exactly one gets it. */
  async take(keyHash: string, now: number): Promise<string | undefined> {
    const row = await this.repository.findOneBy({ keyHash });
    if (!row) return undefined;
    const deleted = (await this.repository.delete({ keyHash })).affected === 1;
    return deleted && row.expiresAt > now ? row.value : undefined;
  }

  /** Inserts the entry unless an unexpired one exists (a lock across instances); resolves whether it did. */
  async claim(keyHash: string, value: string, expiresAt: number, now: number): Promise<boolean> {
    await this.repository.delete({ keyHash, expiresAt: LessThanOrEqual(now) });
    try {
      await this.repository.insert({ keyHash, value, expiresAt });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (await this.repository.existsBy({ keyHash }))) return false;
      throw error;
    }
  }

  async delete(keyHash: string): Promise<void> {
    await this.repository.delete({ keyHash });
  }

  async deleteExpired(now: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThanOrEqual(now) })).affected ?? 0;
  }
}
