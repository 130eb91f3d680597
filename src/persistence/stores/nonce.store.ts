import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { LessThan, LessThanOrEqual, MoreThan, QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { NonceEntity } from '../entities/nonce.entity.js';
import type { AuthRedis } from '../redis/auth-redis.js';
import { AUTH_REDIS } from '../redis/redis.token.js';
import { RedisNonces, type NonceRow } from '../redis/redis-nonces.js';

/**
 * Used nonces by hash; remembering one is atomic (the primary key decides between concurrent requests). With the
 * `redis` option they are checked in Redis first and written behind here (see `RedisNonces`).
 */
@Injectable()
export class NonceStore implements OnModuleDestroy {
  private readonly repository: Repository<NonceEntity>;
  private readonly dataSource: DataSource;
  private readonly redis?: RedisNonces;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource, @Optional() @Inject(AUTH_REDIS) redis?: AuthRedis | null, @Optional() clock?: Clock) {
    this.dataSource = handle.dataSource;
    this.repository = handle.dataSource.getRepository(NonceEntity);
    if (redis) {
      const time = clock ?? new Clock();
      const database = {
        remember: (id: string, now: number, expiresAt: number) => this.rememberInDatabase(id, now, expiresAt),
        seen: (id: string, now: number) => this.seenInDatabase(id, now),
        record: (rows: NonceRow[]) => this.record(rows),
        latestExpiry: (now: number) => this.latestExpiry(now),
      };
      this.redis = new RedisNonces(redis, database, () => time.now());
    }
  }

  /** Whether an unexpired entry exists. */
  seen(id: string, now: number): Promise<boolean> {
    return this.redis ? this.redis.seen(id, now) : this.seenInDatabase(id, now);
  }

  /** Records the nonce until `expiresAt`; resolves false when it is already remembered (a replay). */
  remember(id: string, now: number, expiresAt: number): Promise<boolean> {
    return this.redis ? this.redis.remember(id, now, expiresAt) : this.rememberInDatabase(id, now, expiresAt);
  }

  /** Writes what Redis accepted and the database does not know yet before the DataSource closes. */
  async onModuleDestroy(): Promise<void> {
    await this.redis?.drain();
  }

  private seenInDatabase(id: string, now: number): Promise<boolean> {
    return this.repository.existsBy({ id, expiresAt: MoreThan(now) });
  }

  private async rememberInDatabase(id: string, now: number, expiresAt: number): Promise<boolean> {
    await this.repository.delete({ id, expiresAt: LessThanOrEqual(now) });
    try {
      await this.repository.insert({ id, expiresAt });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (await this.seen(id, now))) return false;
      throw error;
    }
  }

  /** Upserts rows accepted by Redis, keeping the later expiry of a row already there (one statement). */
  private async record(rows: NonceRow[]): Promise<void> {
    const postgres = this.dataSource.options.type === 'postgres';
    const table = this.dataSource.getMetadata(NonceEntity).tablePath;
    const values = rows.map((_, i) => (postgres ? `($${2 * i + 1}, $${2 * i + 2})` : '(?, ?)')).join(', ');
    await this.dataSource.query(
      `INSERT INTO ${table} ("id", "expires_at") VALUES ${values} ON CONFLICT ("id") DO UPDATE SET "expires_at" = excluded."expires_at" ` +
        `WHERE ${table}."expires_at" < excluded."expires_at"`,
      rows.flatMap((row) => [row.id, row.expiresAt]),
    );
  }

  /** The latest expiry of an unexpired row, or 0. */
  private async latestExpiry(now: number): Promise<number> {
    const row = await this.repository.createQueryBuilder('nonce').select('MAX(nonce.expires_at)', 'latest').where('nonce.expires_at > :now', { now }).getRawOne<{ latest: unknown }>();
    return Number(row?.latest ?? 0) || 0;
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
