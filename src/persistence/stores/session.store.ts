import { Inject, Injectable } from '@nestjs/common';
import { LessThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { SessionEntity } from '../entities/session.entity.js';

/** Login sessions by SHA-256 hash of the cookie's token. */
@Injectable()
export class SessionStore {
  private readonly repository: Repository<SessionEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(SessionEntity);
  }

  async insert(session: SessionEntity): Promise<void> {
    await this.repository.insert(session);
  }

  findByHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.repository.findOneBy({ tokenHash });
  }

  async delete(tokenHash: string): Promise<void> {
    await this.repository.delete({ tokenHash });
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
