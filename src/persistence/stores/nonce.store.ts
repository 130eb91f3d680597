import { Inject, Injectable } from '@nestjs/common';
import { LessThan, LessThanOrEqual, MoreThan, QueryFailedError, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { NonceEntity } from '../entities/nonce.entity.js';

/** Used nonces by hash; remembering one is atomic (the primary key decides between concurrent requests). */
@Injectable()
export class NonceStore {
  private readonly repository: Repository<NonceEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(NonceEntity);
  }

  /** Whether an unexpired entry exists. */
  seen(id: string, now: number): Promise<boolean> {
    return this.repository.existsBy({ id, expiresAt: MoreThan(now) });
  }

  /** Records the nonce until `expiresAt`; resolves false when it is already remembered (a replay). */
  async remember(id: string, now: number, expiresAt: number): Promise<boolean> {
    await this.repository.delete({ id, expiresAt: LessThanOrEqual(now) });
    try {
      await this.repository.insert({ id, expiresAt });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (await this.seen(id, now))) return false;
      throw error;
    }
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
