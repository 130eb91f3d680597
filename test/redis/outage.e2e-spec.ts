import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingLogger, expectAssertionRefused } from '../rfc7523/support/assertions.js';
import { testMatrix } from '../support/matrix.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { RedisProcess } from './support/redis-process.js';
import { Instances, redisContents, REGISTRATION_MAX } from './support/redis-instances.js';

const OUTAGE_WARNING = /AuthModule Redis \(redis:\/\/127\.0\.0\.1:\d+\) unavailable/;
const BACK_NOTE = /AuthModule Redis \(redis:\/\/127\.0\.0\.1:\d+\) answers again/;

/**
 * Redis lost mid-run ("Redis lost: degrade to the database"): every request is still answered, from the database
 * (no 5xx); a value Redis accepted before the outage is refused from the write-behind; rate limits go on in the
 * database (their counts start again there); each instance warns once per outage. Once Redis is back (empty, as a
 * restarted Redis without persistence is) the instances use it again and still refuse every value accepted before
 * or during the outage. A frozen Redis (commands time out) is an outage too.
 */
describe.each(testMatrix())('Redis lost and back on %s/%s', (platform, db) => {
  let redis: RedisProcess;
  let x: Instances;
  const logs = new CapturingLogger();
  /** Assertions accepted once: every later use must be refused, whatever Redis went through. */
  const used: string[] = [];

  beforeAll(async () => {
    redis = await RedisProcess.start();
    x = await Instances.start(platform, db, redis);
    Logger.overrideLogger(logs);
  });
  afterAll(async () => {
    Logger.overrideLogger(false);
    await x?.close();
    await redis?.stop();
  });

  /** A fresh assertion accepted at `first` (then remembered in `used`). */
  async function accepted(first: (typeof x)['a']): Promise<string> {
    const assertion = await x.assertion();
    expectTokenResponse(await x.token(first, assertion));
    used.push(assertion);
    return assertion;
  }

  /** Every assertion used so far is refused at both instances. */
  async function replaysRefused(): Promise<void> {
    for (const assertion of used) for (const app of x.both) expectAssertionRefused(await x.token(app, assertion), assertion);
  }

  it('answers from the database while Redis is down: replays of values accepted before are refused, limits go on, one warning per instance', async () => {
    const before = (await x.rows()).nonces;
    await accepted(x.a);
    await accepted(x.b);
    expect((await x.register(x.a)).status).toBe(201);
    await x.nonceRows(before + 2);

    await redis.kill();
    await replaysRefused();
    const during = await accepted(x.b);
    expectAssertionRefused(await x.token(x.a, during), during);
    await accepted(x.a);
    await replaysRefused();
    const statuses: number[] = [];
    for (let i = 0; i < REGISTRATION_MAX + 2; i += 1) statuses.push((await x.register(i % 2 === 0 ? x.b : x.a)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect((await x.rows()).rateLimits).toBe(1);
    expect(x.usingRedis()).toEqual([false, false]);
    expect(logs.lines.filter((line) => OUTAGE_WARNING.test(line))).toHaveLength(2);
    expect(logs.text).not.toMatch(/nonce:[0-9a-f]{64}|[0-9a-f]{64}/);
  });

  it('uses Redis again once it is back (empty) and still refuses every value accepted before and during the outage', async () => {
    await redis.restart();
    await x.recovered();
    expect(logs.lines.filter((line) => BACK_NOTE.test(line))).toHaveLength(2);
    await replaysRefused();
    const after = await accepted(x.a);
    expectAssertionRefused(await x.token(x.b, after), after);
    const keys = [...(await redisContents(redis.url)).keys()];
    expect(keys).toContain('authnest:nonce-epoch');
    expect(keys).toContain('authnest:nonce-recheck');
    expect(keys.filter((key) => key.startsWith('authnest:nonce:')).length).toBeGreaterThanOrEqual(1);
    // The rate limit is counted in Redis again, from a new count.
    const statuses: number[] = [];
    for (let i = 0; i < REGISTRATION_MAX + 1; i += 1) statuses.push((await x.register(i % 2 === 0 ? x.a : x.b)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect([...(await redisContents(redis.url)).keys()].filter((key) => key.startsWith('authnest:rate:register:addr:'))).toHaveLength(1);
    expect((await x.rows()).rateLimits).toBe(1); // the outage's counter, left to expire
    expect(logs.lines.filter((line) => OUTAGE_WARNING.test(line))).toHaveLength(2);
  });

  it('goes on with the database while Redis is frozen (commands time out), then uses it again', async () => {
    redis.freeze();
    const started = Date.now();
    try {
      const frozen = await accepted(x.a);
      expectAssertionRefused(await x.token(x.b, frozen), frozen);
      await accepted(x.b);
      // The first command of each instance waits out commandTimeout (200 ms); the next ones go to the database at once.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(x.usingRedis()).toEqual([false, false]);
    } finally {
      redis.thaw();
    }
    await x.recovered();
    await replaysRefused();
    await accepted(x.b);
    await replaysRefused();
    expect(logs.lines.filter((line) => OUTAGE_WARNING.test(line))).toHaveLength(4);
  });
});
