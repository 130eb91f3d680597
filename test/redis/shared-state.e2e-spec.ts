import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertionPost, expectAssertionRefused } from '../rfc7523/support/assertions.js';
import { getMe } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { RedisProcess } from './support/redis-process.js';
import { Instances, redisContents, REGISTRATION_MAX } from './support/redis-instances.js';

/**
 * Two instances on one database and one Redis (`redis` option): a client assertion used at one is refused at the other
 * (checked in Redis, written behind to the database), the registration rate limit holds across both (counted in
 * Redis only), a revocation at one drops the token from the other's verified-token cache at once (told through a
 * Redis channel, by the token's id), and Redis holds nothing but prefixed keys of hashes and numbers.
 */
describe.each(testMatrix())('Redis shared by two instances on %s/%s', (platform, db) => {
  let redis: RedisProcess;
  let x: Instances;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    x = await Instances.start(platform, db, redis, { keyPrefix: 'idp1:' });
  });
  afterAll(async () => {
    await x?.close();
    await redis?.stop();
  });

  it('refuses at one instance a client assertion used at the other, and writes its jti behind to the database', async () => {
    expect(x.usingRedis()).toEqual([true, true]);
    const before = (await x.rows()).nonces;
    const assertion = await x.assertion();
    expectTokenResponse(await x.token(x.a, assertion));
    expectAssertionRefused(await x.token(x.b, assertion), assertion);
    expectAssertionRefused(await x.token(x.a, assertion), assertion);
    // Concurrent uses of one fresh assertion at both instances: exactly one is accepted.
    const racing = await x.assertion();
    const answers = await Promise.all([x.token(x.a, racing), x.token(x.b, racing), x.token(x.a, racing), x.token(x.b, racing)]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 401, 401, 401]);
    await x.nonceRows(before + 2);
    const keys = [...(await redisContents(redis.url)).keys()].filter((key) => key.startsWith('idp1:nonce:'));
    expect(keys).toHaveLength(2);
  });

  it('holds the registration rate limit across both instances, counted in Redis (not in the database)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REGISTRATION_MAX + 2; i += 1) statuses.push((await x.register(i % 2 === 0 ? x.a : x.b)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect((await x.rows()).rateLimits).toBe(0);
    // The window is the database store's, on the app's clock: it passes for both instances at once.
    x.clock.advance(601);
    expect((await x.register(x.b)).status).toBe(201);
    expect((await x.register(x.a)).status).toBe(201);
  });

  it('drops a JWT revoked at one instance from the cache of the other at once (not after resource.jwtCacheTtl)', async () => {
    const { access_token: token } = expectTokenResponse(await x.token(x.a, await x.assertion()));
    expect((await getMe(x.b.url, token)).status).toBe(200); // verified, and cached for 300 s
    const revoked = await assertionPost(x.a, '/oauth/revoke', await x.assertion(), { token });
    expect(revoked.status, revoked.text).toBe(200);
    expect((await getMe(x.a.url, token)).status).toBe(401);
    await vi.waitFor(async () => expect((await getMe(x.b.url, token)).status).toBe(401), { timeout: 3000, interval: 25 });
    // Another token of the same client, cached at B, is untouched.
    const { access_token: other } = expectTokenResponse(await x.token(x.a, await x.assertion()));
    expect((await getMe(x.b.url, other)).status).toBe(200);
    expect((await getMe(x.b.url, other)).status).toBe(200);
  });

  it('keeps only prefixed keys of SHA-256 hashes, whose values are numbers, with an expiry', async () => {
    const contents = await redisContents(redis.url);
    expect(contents.size).toBeGreaterThan(0);
    const assertion = await x.assertion();
    const { jti } = JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()) as { jti: string };
    for (const [key, value] of contents) {
      expect(key).toMatch(/^idp1:(nonce:[0-9a-f]{64}|nonce-epoch|nonce-recheck|rate:register:addr:[0-9a-f]{64})$/);
      expect(value).toMatch(/^(\d+|\{"s":"\d+","c":"\d+"\})$/);
      for (const secret of ['127.0.0.1', 'svc', jti]) expect(`${key} ${value}`).not.toContain(secret);
    }
    // Everything but the epoch marker expires on its own.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    try {
      for (const key of contents.keys()) if (key !== 'idp1:nonce-epoch') expect(await client.pttl(key), key).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});
