import { Inject, Injectable } from '@nestjs/common';
import { IsNull, LessThan, MoreThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { PushedRequestEntity } from '../entities/pushed-request.entity.js';

/**
 * Pushed authorization requests by SHA-256 hash of their reference. Use is one atomic conditional update (unused,
 * unexpired, of this client) in the database every instance shares: of two concurrent uses, exactly one wins.
 */
@Injectable()
export class PushedRequestStore {
  private readonly repository: Repository<PushedRequestEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(PushedRequestEntity);
  }

  async insert(row: PushedRequestEntity): Promise<void> {
    await this.repository.insert(row);
  }

  /**
   * Marks the request used at `now` and resolves its row; null when it is unknown, of another client, expired or
   * already used (or another request used it first).
   */
  async consume(referenceHash: string, clientId: string, now: number): Promise<PushedRequestEntity | null> {
    const result = await this.repository.update({ referenceHash, clientId, consumedAt: IsNull(), expiresAt: MoreThan(now) }, { consumedAt: now });
    if (result.affected !== 1) return null;
    return this.repository.findOneBy({ referenceHash });
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
