import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity, Repository } from 'typeorm';
import { AUTH_DATA_SOURCE, AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { TtlCache } from '../../internal/ttl-cache.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { ClientEntity } from '../entities/client.entity.js';
import { EntitySql } from './entity-sql.js';
import { ReadBatcher } from './read-batcher.js';

/** Clients remembered for authentication at most (the oldest go first). */
const CACHE_ENTRIES = 1_000;

/**
 * Reads and writes clients. `findForAuthentication` may answer from memory for `clientCacheTtl` seconds; every
 * write through this instance (here or `ClientRegistrationStore`) forgets the client at once.
 */
@Injectable()
export class ClientStore {
  private readonly repository: Repository<ClientEntity>;
  private readonly sql: EntitySql<ClientEntity>;
  private readonly byId: string;
  private readonly cache: TtlCache<ClientEntity>;
  /** Clients to authenticate asked for at the same time are read together (each id once). */
  private readonly authReads: ReadBatcher<ClientEntity>;
  /** Bumped by every `forget`: a read that started before one does not fill the cache with what it read. */
  private generation = 0;

  constructor(
    @Inject(AUTH_DATA_SOURCE) handle: AuthDataSource,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clock: Clock,
  ) {
    this.repository = handle.dataSource.getRepository(ClientEntity);
    this.sql = new EntitySql(handle.dataSource, ClientEntity);
    this.byId = this.sql.selectText(['clientId']);
    this.cache = new TtlCache(CACHE_ENTRIES, () => this.clock.now());
    this.authReads = new ReadBatcher((ids) => this.sql.selectIn('clientId', ids), (row) => row.clientId);
  }

  /**
   * The client as stored now (one constant, parameterised statement). An id with a NUL character is no stored id (a
   * PostgreSQL text cannot hold one, and the query would fail): unknown, without asking the database.
   */
  findById(clientId: string): Promise<ClientEntity | null> {
    if (clientId.includes('\u0000')) return Promise.resolve(null);
    return this.sql.selectOne(this.byId, [clientId]);
  }

  /**
   * The client for authenticating a request: from memory when read less than `clientCacheTtl` seconds ago and not
   * changed through this instance since, else as stored now (requests of the same moment share one read). An unknown
   * client is never remembered. Callers must not modify the row (it is shared).
   */
  async findForAuthentication(clientId: string): Promise<ClientEntity | null> {
    const ttl = this.options.clientCacheTtl;
    if (ttl <= 0) return this.authReads.find(clientId);
    const cached = this.cache.get(clientId);
    if (cached) return cached;
    const generation = this.generation;
    const client = await this.authReads.find(clientId);
    if (client && generation === this.generation) this.cache.set(clientId, client, this.clock.now() + ttl * 1000);
    return client;
  }

  /** Drops the remembered row of a client this instance changed (or of every client, with no id). */
  forget(clientId?: string): void {
    this.generation += 1;
    if (clientId === undefined) this.cache.clear();
    else this.cache.delete(clientId);
  }

  /** Every client, by id (the admin service's listing). */
  findAll(): Promise<ClientEntity[]> {
    return this.repository.find({ order: { clientId: 'ASC' } });
  }

  async save(client: ClientEntity): Promise<ClientEntity> {
    this.forget(client.clientId);
    try {
      return await this.repository.save(client);
    } finally {
      this.forget(client.clientId);
    }
  }

  /** Inserts a new client unless the id is taken (another instance may have won the race). */
  async insertIfAbsent(client: ClientEntity): Promise<void> {
    this.forget(client.clientId);
    // `jwks` is a JSON column (a transformer): TypeORM's deep-partial type cannot follow its free-form members.
    await this.repository.createQueryBuilder().insert().values(client as QueryDeepPartialEntity<ClientEntity>).orIgnore().execute();
    this.forget(client.clientId);
  }
}
