import { Inject, Injectable } from '@nestjs/common';
import { LessThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { SessionClientEntity } from '../entities/session-client.entity.js';

/** Which clients took part in which login session (for back-channel logout). */
@Injectable()
export class SessionClientStore {
  private readonly repository: Repository<SessionClientEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(SessionClientEntity);
  }

  /** Records the client in the session (once; a repeat changes nothing). */
  async add(sid: string, clientId: string, expiresAt: number): Promise<void> {
    await this.repository.createQueryBuilder().insert().values({ sid, clientId, expiresAt }).orIgnore().execute();
  }

  async clientIds(sid: string): Promise<string[]> {
    return (await this.repository.findBy({ sid })).map((row) => row.clientId);
  }

  async deleteSession(sid: string): Promise<void> {
    await this.repository.delete({ sid });
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
