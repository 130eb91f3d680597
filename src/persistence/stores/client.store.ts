import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity, Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { ClientEntity } from '../entities/client.entity.js';

/** Reads and writes clients. */
@Injectable()
export class ClientStore {
  private readonly repository: Repository<ClientEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(ClientEntity);
  }

  findById(clientId: string): Promise<ClientEntity | null> {
    return this.repository.findOneBy({ clientId });
  }

  save(client: ClientEntity): Promise<ClientEntity> {
    return this.repository.save(client);
  }

  /** Inserts a new client unless the id is taken (another instance may have won the race). */
  async insertIfAbsent(client: ClientEntity): Promise<void> {
    // `jwks` is a JSON column (a transformer): TypeORM's deep-partial type cannot follow its free-form members.
    await this.repository.createQueryBuilder().insert().values(client as QueryDeepPartialEntity<ClientEntity>).orIgnore().execute();
  }
}
