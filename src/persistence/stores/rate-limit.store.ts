import { Inject, Injectable, Optional } from '@nestjs/common';
import { LessThan, type DataSource } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { RateLimitEntity } from '../entities/rate-limit.entity.js';
import { REDIS_UNAVAILABLE, type AuthRedis } from '../redis/auth-redis.js';
import { AUTH_REDIS } from '../redis/redis.token.js';
import { RedisRateLimits } from '../redis/redis-rate-limits.js';

/**
 * Fixed-window counters in the database, incremented atomically (one upsert statement). With the `redis` option they
 * are counted in Redis (same windows, one script); while Redis does not answer, here (the counts start again here:
 * a client gets up to one more window's worth of attempts across an outage).
 */
@Injectable()
export class RateLimitStore {
  private readonly dataSource: DataSource;
  private readonly redis?: RedisRateLimits;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource, @Optional() @Inject(AUTH_REDIS) redis?: AuthRedis | null) {
    this.dataSource = handle.dataSource;
    if (redis) this.redis = new RedisRateLimits(redis);
  }

  /**
   * Counts one hit for `key` in the window that started no earlier than `now - windowMs` and resolves the
   * count in the current window (a new window starts at 1).
   */
  async hit(key: string, now: number, windowMs: number): Promise<number> {
    const counted = await this.redis?.hit(key, now, windowMs);
    if (counted !== undefined && counted !== REDIS_UNAVAILABLE) return counted;
    return this.hitInDatabase(key, now, windowMs);
  }

  private async hitInDatabase(key: string, now: number, windowMs: number): Promise<number> {
    const postgres = this.dataSource.options.type === 'postgres';
    const table = this.dataSource.getMetadata('RateLimitEntity').tablePath;
    const [p1, p2, p3] = postgres ? ['$1', '$2', '$3'] : ['?', '?', '?'];
    const sql =
      `INSERT INTO ${table} ("key", "count", "window_start") VALUES (${p1}, 1, ${p2}) ` +
      `ON CONFLICT ("key") DO UPDATE SET ` +
      `"count" = CASE WHEN ${table}."window_start" <= ${p3} THEN 1 ELSE ${table}."count" + 1 END, ` +
      `"window_start" = CASE WHEN ${table}."window_start" <= ${p3} THEN excluded."window_start" ELSE ${table}."window_start" END ` +
      `RETURNING "count"`;
    const params = postgres ? [key, now, now - windowMs] : [key, now, now - windowMs, now - windowMs];
    const rows: unknown = await this.dataSource.query(sql, params);
    const first = (Array.isArray(rows) ? rows[0] : undefined) as { count?: number | string } | undefined;
    return Number(first?.count ?? 1);
  }

  /** Clears a counter (after a successful login, for the account key). */
  async reset(key: string): Promise<void> {
    // Both: a counter left in the database by an earlier outage must not count against the next one.
    await Promise.all([this.redis?.reset(key), this.resetInDatabase(key)]);
  }

  private async resetInDatabase(key: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from('authnest_rate_limits').where('"key" = :key', { key }).execute();
  }

  /** Deletes counters whose window started before `before` (ms); returns how many. */
  async deleteStale(before: number): Promise<number> {
    return (await this.dataSource.getRepository(RateLimitEntity).delete({ windowStart: LessThan(before) })).affected ?? 0;
  }
}
