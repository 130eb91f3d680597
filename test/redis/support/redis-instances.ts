import { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import type { AuthModuleOptions, AuthRedisOptions } from '../../../src/index.js';
import { NonceEntity } from '../../../src/persistence/entities/nonce.entity.js';
import { RateLimitEntity } from '../../../src/persistence/entities/rate-limit.entity.js';
import type { AuthRedis } from '../../../src/persistence/redis/auth-redis.js';
import { AUTH_REDIS } from '../../../src/persistence/redis/redis.providers.js';
import { assertionClaims, assertionTokenRequest, jwksOf, signWithKey, testKeyPair, type TestKeyPair } from '../../rfc7523/support/assertions.js';
import { authnestDataSource, MeController } from '../../support/app-helpers.js';
import { request, type TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../../support/test-app.js';
import type { RedisProcess } from './redis-process.js';

/** Registrations allowed per address and window in these suites. */
export const REGISTRATION_MAX = 3;

/**
 * Two instances A and B of one authorization server on one database (a shared SQLite file or one PostgreSQL schema)
 * and one Redis, with one FakeClock (hosts with synchronised clocks), as behind a load balancer. The client `svc`
 * authenticates with private_key_jwt (its assertions' `jti`s are the replay values), and registration is open with a
 * per-address limit of `REGISTRATION_MAX` (the rate-limited requests); `GET /me` is a guarded route (`MeController`).
 */
export class Instances {
  readonly clock = new FakeClock();
  key!: TestKeyPair;
  a!: TestApp;
  b!: TestApp;

  private constructor(readonly redis: RedisProcess) {}

  /** Boots both; `waitForRedis` (default) until both use Redis, else as they come (on the database when it is down). */
  static async start(platform: Platform, db: Database, redis: RedisProcess, extra: Partial<AuthRedisOptions> = {}, waitForRedis = true): Promise<Instances> {
    const instances = new Instances(redis);
    instances.key = await testKeyPair('ES256');
    const options: Partial<AuthModuleOptions> = {
      scopes: ['read'],
      clients: [{ clientId: 'svc', jwks: jwksOf(instances.key), scopes: ['read'] }],
      registration: { mode: 'open', rateLimit: { max: REGISTRATION_MAX, window: 600 } },
      redis: { url: redis.url, ...extra },
    };
    const controllers = [MeController];
    instances.a = await bootTestApp({ platform, db, clock: instances.clock, options, controllers });
    try {
      instances.b = await bootTestApp({ platform, db, clock: instances.clock, options, controllers, database: instances.a.database });
      // A busy machine may stall a boot past the 200 ms command timeout: the instance then starts on the database.
      if (waitForRedis) await instances.recovered();
    } catch (error) {
      await instances.b?.close();
      await instances.a.close();
      throw error;
    }
    return instances;
  }

  get both(): TestApp[] {
    return [this.a, this.b];
  }

  /** A fresh client assertion of `svc` (a new `jti`). */
  assertion(): Promise<string> {
    return signWithKey(this.key, assertionClaims('svc', this.clock.now()));
  }

  /** A client_credentials request of `svc` authenticated by `assertion` at `app`. */
  token(app: TestApp, assertion: string): Promise<TestResponse> {
    return assertionTokenRequest(app, assertion, { scope: 'read' });
  }

  /** An open registration at `app` (counted against 127.0.0.1's limit whatever its outcome). */
  register(app: TestApp): Promise<TestResponse> {
    return request(`${app.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://rp.example.com/cb'] }),
    });
  }

  /** Rows of `authnest_nonces` and `authnest_rate_limits` (one database for both instances). */
  async rows(): Promise<{ nonces: number; rateLimits: number }> {
    const dataSource = authnestDataSource(this.a.app);
    return { nonces: await dataSource.getRepository(NonceEntity).count(), rateLimits: await dataSource.getRepository(RateLimitEntity).count() };
  }

  /** Waits until the instances' write-behind has stored `count` nonce rows. */
  async nonceRows(count: number): Promise<void> {
    await vi.waitFor(async () => expect((await this.rows()).nonces).toBe(count), { timeout: 5000, interval: 20 });
  }

  /** Whether each instance uses Redis now. */
  usingRedis(): boolean[] {
    return this.both.map((t) => t.app.get<AuthRedis>(AUTH_REDIS).available);
  }

  /** Waits until both instances use Redis again. */
  async recovered(): Promise<void> {
    await vi.waitFor(() => expect(this.usingRedis()).toEqual([true, true]), { timeout: 10_000, interval: 50 });
  }

  async close(): Promise<void> {
    await this.b?.close();
    await this.a?.close();
  }
}

/** Every key in the Redis at `url` with its type and value (hashes as JSON), through a connection of the test's own. */
export async function redisContents(url: string): Promise<Map<string, string>> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const entries = new Map<string, string>();
    for (const key of keys.sort()) {
      const type = await redis.type(key);
      entries.set(key, type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : String(await redis.get(key)));
    }
    return entries;
  } finally {
    redis.disconnect();
  }
}
