import { Inject, Injectable } from '@nestjs/common';
import { IsNull, LessThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AuthorizationCodeEntity } from '../entities/authorization-code.entity.js';

/** Authorization codes by SHA-256 hash; redemption is one atomic conditional update. */
@Injectable()
export class AuthorizationCodeStore {
  private readonly repository: Repository<AuthorizationCodeEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(AuthorizationCodeEntity);
  }

  async insert(code: AuthorizationCodeEntity): Promise<void> {
    await this.repository.insert(code);
  }

  findByHash(codeHash: string): Promise<AuthorizationCodeEntity | null> {
    return this.repository.findOneBy({ codeHash });
  }

  /** Marks the code used; resolves false when it already was (a replay or a concurrent redemption lost). */
  async consume(id: string, now: number): Promise<boolean> {
    const result = await this.repository.update({ id, consumedAt: IsNull() }, { consumedAt: now });
    return result.affected === 1;
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
