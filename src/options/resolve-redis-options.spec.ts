import { describe, expect, it } from 'vitest';
import { resolveAuthOptions } from './resolve-options.js';
import { configProblems } from '../../test/support/config-problems.js';

const ISSUER = 'https://auth.example.com';

const problems = (raw: Record<string, unknown>) => configProblems(raw, ISSUER);

describe('redis option (several instances)', () => {
  it('is off by default; set, it takes the defaults: authnest: prefix, 2000 ms to connect, 200 ms per command', () => {
    expect(resolveAuthOptions({ issuer: ISSUER }, {}).redis).toBeUndefined();
    expect(resolveAuthOptions({ issuer: ISSUER, redis: { url: 'redis://cache:6379' } }, {}).redis).toEqual({
      url: 'redis://cache:6379',
      keyPrefix: 'authnest:',
      connectTimeout: 2000,
      commandTimeout: 200,
    });
    const explicit = { url: 'rediss://:pw@cache.internal:6380/2', keyPrefix: 'idp:', connectTimeout: 500, commandTimeout: 50 };
    expect(resolveAuthOptions({ issuer: ISSUER, redis: explicit }, {}).redis).toEqual(explicit);
  });

  it.each([
    ['another scheme', { redis: { url: 'http://cache:6379' } }, 'redis.url'],
    ['no URL at all', { redis: { url: 'cache:6379' } }, 'redis.url'],
    ['no host', { redis: { url: 'redis://' } }, 'redis.url'],
    ['a path that is not a database number', { redis: { url: 'redis://cache/db' } }, 'redis.url'],
    ['a missing url', { redis: {} }, 'redis.url'],
    ['a string instead of the object', { redis: 'redis://cache' }, 'redis'],
    ['a prefix with a space', { redis: { url: 'redis://cache', keyPrefix: 'a b' } }, 'redis.keyPrefix'],
    ['a command timeout below 10 ms', { redis: { url: 'redis://cache', commandTimeout: 5 } }, 'redis.commandTimeout'],
    ['a connect timeout above 60 s', { redis: { url: 'redis://cache', connectTimeout: 60_001 } }, 'redis.connectTimeout'],
    ['a typo', { redis: { url: 'redis://cache', keyprefix: 'x' } }, 'redis.keyprefix'],
  ])('stops the boot on %s', (_, raw, path) => {
    const found = problems(raw);
    expect(found.length, found.join('\n')).toBeGreaterThan(0);
    found.forEach((problem) => expect(problem.startsWith(`${path}: `), problem).toBe(true));
  });
});
