import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthConfigError, type AuthModuleOptions } from '../../src/index.js';
import { expectAssertionRefused } from '../rfc7523/support/assertions.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { RedisProcess } from './support/redis-process.js';
import { Instances, redisContents } from './support/redis-instances.js';

/** The problems (AuthConfigError) a boot with `redis` fails with. */
async function redisProblems(platform: 'express' | 'fastify', db: 'sqlite' | 'postgres', redis: unknown): Promise<readonly string[]> {
  const error = await bootTestApp({ platform, db, options: { redis } as Partial<AuthModuleOptions> }).then(
    async (t) => (await t.close(), undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthConfigError);
  return (error as AuthConfigError).problems;
}

/** Names of the server's connections (`authnest-server`, and its subscriber `authnest-server-sub`) open at `url`. */
async function serverConnections(url: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const list = String(await redis.call('CLIENT', 'LIST'));
    return [...list.matchAll(/ name=(authnest-server\S*)/g)].map((match) => match[1]!).sort();
  } finally {
    redis.disconnect();
  }
}

/**
 * The `redis` option at boot: a URL that cannot be one (or any other shape problem) and credentials Redis refuses stop
 * the boot with a message naming the option and no password; a Redis that is merely unreachable does not (the instance
 * warns, works on the database, and uses Redis once it answers); the connection is closed with the app.
 */
describe.each(testMatrix())('redis option at boot on %s/%s', (platform, db) => {
  let protectedRedis: RedisProcess;

  beforeAll(async () => {
    protectedRedis = await RedisProcess.start(['--requirepass', 'the-right-password-1']);
  });
  afterAll(async () => {
    await protectedRedis?.stop();
  });

  it('refuses a URL that is not a redis:// or rediss:// URL, and other shape problems, by option path', async () => {
    for (const url of ['http://127.0.0.1:6379', 'not a url', 'redis://', 'redis://127.0.0.1:6379/not-a-db']) {
      expect(await redisProblems(platform, db, { url }), url).toEqual([expect.stringMatching(/^redis\.url: /)]);
    }
    expect(await redisProblems(platform, db, { url: 'redis://127.0.0.1', commandTimeout: 5, connectTimeout: 'soon', prefix: 'x' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^redis\.commandTimeout: /),
        expect.stringMatching(/^redis\.connectTimeout: /),
        'redis.prefix: property prefix should not exist',
      ]),
    );
    expect(await redisProblems(platform, db, { url: 'redis://127.0.0.1', keyPrefix: 'a b' })).toEqual(['redis.keyPrefix: keyPrefix must be printable ASCII without spaces']);
    expect(await redisProblems(platform, db, 'redis://127.0.0.1')).toEqual([expect.stringMatching(/^redis: /)]);
  });

  it('refuses credentials Redis does not accept, without showing the password; closes its connections with the app', async () => {
    const port = protectedRedis.port;
    for (const url of [`redis://127.0.0.1:${port}`, `redis://:a-wrong-password-1@127.0.0.1:${port}`, `redis://:the-right-password-1@127.0.0.1:${port}/99`]) {
      const error = (await bootTestApp({ platform, db, options: { redis: { url } } }).then(
        async (t) => (await t.close(), undefined),
        (e: unknown) => e,
      )) as Error;
      expect(error, url).toBeInstanceOf(Error);
      expect(error.message).toMatch(/redis\.url \(redis:\/\/127\.0\.0\.1:\d+(\/99)?\) refused the credentials or database: /);
      expect(error.message).not.toMatch(/a-wrong-password-1|the-right-password-1/);
    }
    const url = `redis://:the-right-password-1@127.0.0.1:${port}`;
    const t = await bootTestApp({ platform, db, options: { redis: { url } } });
    await vi.waitFor(async () => expect(await serverConnections(url)).toEqual(['authnest-server', 'authnest-server-sub']), { timeout: 3000 });
    await t.close();
    expect(await serverConnections(url)).toEqual([]);
  });

  it('boots while Redis is unreachable (one warning), works on the database, and uses Redis once it answers', async () => {
    const later = await RedisProcess.notYetStarted();
    // The testing module replaces the logger while it compiles (when the boot warning is written): spy on the call.
    const warn = vi.spyOn(Logger.prototype, 'warn');
    let x: Instances | undefined;
    try {
      x = await Instances.start(platform, db, later, { connectTimeout: 300 }, false);
      expect(x.usingRedis()).toEqual([false, false]);
      const early = await x.assertion();
      expectTokenResponse(await x.token(x.a, early));
      expectAssertionRefused(await x.token(x.b, early), early);
      await later.restart();
      await x.recovered();
      // Accepted by the database only, before Redis answered: still refused (the recovery's recheck window).
      expectAssertionRefused(await x.token(x.b, early), early);
      const assertion = await x.assertion();
      expectTokenResponse(await x.token(x.b, assertion));
      expectAssertionRefused(await x.token(x.a, assertion), assertion);
      expect([...(await redisContents(later.url)).keys()].filter((key) => key.startsWith('authnest:nonce:'))).toHaveLength(2);
      const warnings = warn.mock.calls.map(([message]) => String(message));
      expect(warnings.filter((line) => /AuthModule Redis \(redis:\/\/127\.0\.0\.1:\d+\) not reachable at boot/.test(line))).toHaveLength(2);
    } finally {
      warn.mockRestore();
      await x?.close();
      await later.stop();
    }
  });
});
