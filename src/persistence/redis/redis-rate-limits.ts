import { REDIS_UNAVAILABLE, type AuthRedis } from './auth-redis.js';
import { defineScripts, runScript } from './redis-scripts.js';

/**
 * Rate-limit counters in Redis, with the database store's fixed-window semantics (one script: read the window, start
 * a new one or increment). Keys are the stores' keys (`login:acct:<sha256>`...), under `<prefix>rate:`.
 */
export class RedisRateLimits {
  constructor(private readonly redis: AuthRedis) {
    defineScripts(redis.client);
  }

  async hit(key: string, now: number, windowMs: number): Promise<number | typeof REDIS_UNAVAILABLE> {
    const count = await this.redis.run((client) => runScript(client, 'authnestRateLimitHit', this.redis.key('rate', key), now, Math.max(1, Math.ceil(windowMs))));
    return count === REDIS_UNAVAILABLE ? count : Number(count);
  }

  async reset(key: string): Promise<void | typeof REDIS_UNAVAILABLE> {
    const done = await this.redis.run((client) => client.del(this.redis.key('rate', key)));
    return done === REDIS_UNAVAILABLE ? done : undefined;
  }
}
