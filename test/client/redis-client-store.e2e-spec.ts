import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, OAuthClientModule, type OAuthClientModuleOptions } from '../../src/index.js';
import { NO_DATA_SOURCE } from '../../src/client/login/client-store.lifecycle.js';
import { OAUTH_CLIENT_STORE, type OAuthClientStore } from '../../src/client/oauth-client-store.js';
import { RedisClientStore } from '../../src/client/redis-client-store.js';
import { CLIENT_DATA_SOURCE } from '../../src/persistence/stores/client-entry.store.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, TEST_SECRET } from '../support/test-app.js';
import { bootClientApp } from './support/client-app.js';
import { freePort } from './support/login-app.js';
import { RedisServer } from './support/redis-server.js';

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/** A provider with login (so the store opens); it is never contacted (discovery is lazy). */
const options = (redis: OAuthClientModuleOptions['redis'], extra: Record<string, unknown> = {}): OAuthClientModuleOptions => ({
  providers: { provider: { issuer: 'http://127.0.0.1:9', clientId: 'web-app', clientSecret: 'web-app-secret-01', login: { redirectUri: 'http://127.0.0.1:9/callback' } } },
  redis,
  encryptionSecret: TEST_SECRET,
  ...extra,
});

async function bootProblems(platform: 'express' | 'fastify', raw: unknown): Promise<unknown> {
  return bootClientApp(platform, OAuthClientModule.forRoot(raw as OAuthClientModuleOptions)).then(
    async (app) => {
      await app.close();
      throw new Error('booted');
    },
    (error: unknown) => error,
  );
}

/**
 * `RedisClientStore` as the `OAUTH_CLIENT_STORE` of two app instances on one real redis-server: `take` is single
 * use and `claim` a lock under concurrency across connections, expiry follows the app's clock (a FakeClock here,
 * while Redis runs on real time) and `PXAT` lets Redis drop the keys itself; the `redis` option's validation, the
 * absence of any DataSource, the connection closed at shutdown, and an unreachable Redis failing the boot.
 */
describe.each(testMatrix().filter(([, db]) => db === 'sqlite'))('OAuth client: RedisClientStore on %s', (platform) => {
  const clock = new FakeClock();
  let server: RedisServer;
  let redis: Redis;
  let a: INestApplication;
  let b: INestApplication;
  let storeA: OAuthClientStore;
  let storeB: OAuthClientStore;

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.url, { lazyConnect: true });
    await redis.connect();
    const module = () => OAuthClientModule.forRoot(options({ url: server.url, keyPrefix: 'tenant-1:' }));
    a = await bootClientApp(platform, module(), { clock });
    b = await bootClientApp(platform, module(), { clock });
    storeA = a.get(OAUTH_CLIENT_STORE);
    storeB = b.get(OAUTH_CLIENT_STORE);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('gives each instance a RedisClientStore and opens no DataSource', () => {
    expect(storeA).toBeInstanceOf(RedisClientStore);
    expect(storeB).not.toBe(storeA);
    expect(a.get(CLIENT_DATA_SOURCE)).toBe(NO_DATA_SOURCE);
  });

  it('take: of 20 concurrent takers on two instances exactly one gets the value', async () => {
    for (let round = 0; round < 5; round += 1) {
      const key = hash(`take-${round}`);
      await storeA.set(key, `value-${round}`, clock.now() + 60_000);
      const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? storeA : storeB).take(key, clock.now())));
      expect(taken.filter((value) => value !== undefined)).toEqual([`value-${round}`]);
      expect(await storeB.get(key, clock.now())).toBeUndefined();
    }
  });

  it('claim: of concurrent claimers exactly one holds the lock, free again once deleted or past its expiry', async () => {
    const key = hash('lock');
    const won = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? storeA : storeB).claim(key, `holder-${i}`, clock.now() + 10_000, clock.now())));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await storeB.claim(key, 'late', clock.now() + 10_000, clock.now())).toBe(false);
    clock.advance(10); // past the lock's expiry on the app's clock; Redis, on real time, still holds the key
    expect(await redis.exists(`tenant-1:${key}`)).toBe(1);
    const again = await Promise.all([storeA.claim(key, 'second-a', clock.now() + 10_000, clock.now()), storeB.claim(key, 'second-b', clock.now() + 10_000, clock.now())]);
    expect(again.filter(Boolean)).toHaveLength(1);
    expect(await storeA.get(key, clock.now())).toBe(again[0] ? 'second-a' : 'second-b');
    await storeB.delete(key);
    expect(await storeA.claim(key, 'third', clock.now() + 10_000, clock.now())).toBe(true);
    await storeA.delete(key);
  });

  it('get and take follow the expiry on the app clock; set replaces; PXAT is the expiry; deleteExpired is 0', async () => {
    const key = hash('entry');
    const expiresAt = clock.now() + 5_000;
    await storeA.set(key, 'first', expiresAt);
    await storeB.set(key, 'second', expiresAt);
    expect(await storeA.get(key, clock.now())).toBe('second');
    expect(await storeA.get(key, expiresAt - 1)).toBe('second');
    expect(await redis.keys('tenant-1:*')).toEqual([`tenant-1:${key}`]);
    expect(await redis.call('PEXPIRETIME', `tenant-1:${key}`)).toBe(Math.ceil(expiresAt));
    expect(await storeA.deleteExpired(expiresAt + 1)).toBe(0);
    expect(await storeA.get(key, expiresAt)).toBeUndefined();
    expect(await storeB.take(key, expiresAt)).toBeUndefined();
    expect(await redis.exists(`tenant-1:${key}`)).toBe(0); // taken (expired): gone either way
    await storeA.set(key, 'third', clock.now() + 5_000);
    await storeA.delete(key);
    expect(await storeB.get(key, clock.now())).toBeUndefined();
  });

  it('closes its Redis connection when the app shuts down', async () => {
    const clients = async () => String(await redis.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes('name=authnest-client')).length;
    const c = await bootClientApp(platform, OAuthClientModule.forRoot(options({ url: server.url })));
    expect(await clients()).toBe(3);
    await c.close();
    expect(await clients()).toBe(2);
  });

  it.each<[string, (url: string) => unknown, string]>([
    ['redis and database', (url) => options({ url }, { database: { type: 'sqlite', path: ':memory:' } }), 'redis: give database or redis, not both (with redis no database is opened)'],
    ['a URL that is not redis://', () => options({ url: 'http://127.0.0.1:6379' }), 'redis.url: must be a redis:// or rediss:// URL'],
    ['no URL', () => options({} as { url: string }), 'redis.url: url must be a string'],
    ['a prefix with a space', (url) => options({ url, keyPrefix: 'my app:' }), 'redis.keyPrefix: keyPrefix must be printable ASCII without spaces'],
    ['a typo', (url) => options({ url, keyprefix: 'x' } as unknown as { url: string }), 'redis.keyprefix: property keyprefix should not exist'],
  ])('refuses to boot with %s, naming the option', async (_, make, problem) => {
    const error = await bootProblems(platform, make(server.url));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems).toContain(problem);
  });

  it('fails the boot when Redis cannot be reached, naming the host but not the password', async () => {
    const port = await freePort();
    const error = await bootProblems(platform, options({ url: `redis://:hunter2-password@127.0.0.1:${port}/2` }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`authnest: OAuthClientModule cannot connect to redis.url (redis://127.0.0.1:${port}/2)`);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
