import type { AuthModuleOptions } from './auth-options.interface.js';

/** `redis` with defaults applied. */
export interface ResolvedRedisOptions {
  url: string;
  keyPrefix: string;
  connectTimeout: number;
  commandTimeout: number;
}

export const DEFAULT_SERVER_REDIS_KEY_PREFIX = 'authnest:';

/**
 * Defaults of `redis` (shapes are validated with the rest by `resolveAuthOptions`); undefined when it is not set. The
 * URL must parse and use `redis:` or `rediss:`: a typo stops the boot instead of leaving every instance on its own.
 */
export function resolveRedisOptions(raw: AuthModuleOptions, problems: string[]): ResolvedRedisOptions | undefined {
  const redis = raw.redis;
  if (redis === undefined || typeof redis?.url !== 'string') return undefined; // shape problems come from the schema
  let url: URL | undefined;
  try {
    url = new URL(redis.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    problems.push('redis.url: must be a redis:// or rediss:// URL with a host');
  } else if (url.pathname.length > 1 && !/^\/\d{1,2}$/.test(url.pathname)) {
    problems.push('redis.url: the path must be a database number (redis://host:6379/0)');
  }
  return {
    url: redis.url,
    keyPrefix: redis.keyPrefix ?? DEFAULT_SERVER_REDIS_KEY_PREFIX,
    connectTimeout: redis.connectTimeout ?? 2000,
    commandTimeout: redis.commandTimeout ?? 200,
  };
}
