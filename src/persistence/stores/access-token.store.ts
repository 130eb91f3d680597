import { Inject, Injectable } from '@nestjs/common';
import { LessThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';

/** Opaque access tokens, looked up by SHA-256 hash. */
@Injectable()
export class AccessTokenStore {
  private readonly repository: Repository<AccessTokenEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(AccessTokenEntity);
  }

  async insert(token: AccessTokenEntity): Promise<void> {
    await this.repository.insert(token);
  }

  findByHash(tokenHash: string): Promise<AccessTokenEntity | null> {
    return this.repository.findOneBy({ tokenHash });
  }

  /** Deletes tokens that expired before `before` (ms); returns how many. */
  async deleteExpired(before: number): Promise<number> {
    const result = await this.repository.delete({ expiresAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
