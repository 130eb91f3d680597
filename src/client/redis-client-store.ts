import { Redis } from 'ioredis';
import { DEFAULT_REDIS_KEY_PREFIX, type OAuthClientStore } from './oauth-client-store.js';
import { AuthLogger } from '../internal/auth-logger.js';

/** The Redis the OAuth client keeps its entries in, shared by every instance of the app. */
export interface RedisClientStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://` (TLS). */
  url: string;
  /** @default 'authnest:client:' */
  keyPrefix?: string;
}

/**
 * `claim` when `SET NX` found an entry: replaces it only when the app's clock says it has expired. Redis drops
 * entries on its own clock, which may lag the app's (clock skew, or a test's FakeClock), so the expiry stored in
 * the value decides, atomically.
 */
const CLAIM_EXPIRED = `
local current = redis.call('GET', KEYS[1])
if current then
  local expires = tonumber(string.match(current, '^([^:]*):'))
  if expires ~= nil and expires > tonumber(ARGV[3]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1`;

/** Where the URL points, without its credentials (for messages). */
export function redisTarget(url: string): string {
  try {
    const { protocol, hostname, port, pathname } = new URL(url);
    return `${protocol}//${hostname}:${port || '6379'}${pathname.length > 1 ? pathname : ''}`;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * `OAuthClientStore` on Redis (>= 6.2), for several app instances behind a load balancer: each entry is one key,
 * `keyPrefix` + the key hash, whose value is `<expiresAt>:<sealed value>`, set with `PXAT expiresAt` so Redis drops
 * it. Reads check the stored expiry against the app's clock too. `take` is `GETDEL` (single use under
 * concurrency), `claim` is `SET NX PXAT` (a lock), `deleteExpired` has nothing to do.
 */
export class RedisClientStore implements OAuthClientStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string = DEFAULT_REDIS_KEY_PREFIX,
  ) {
    this.prefix = keyPrefix;
  }

  /** Connects to `options.url` (rejects, naming the host but no password, when it cannot). */
  static async connect(options: RedisClientStoreOptions, logger = new AuthLogger()): Promise<RedisClientStore> {
    // Few retries per command: a request fails fast while Redis is away instead of waiting for it.
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'authnest-client' });
    let reported = false;
    redis.on('ready', () => (reported = false));
    redis.on('error', (error: Error) => {
      if (!reported) logger.error(`OAuthClientModule Redis (${redisTarget(options.url)}): ${error.message}`);
      reported = true;
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`authnest: OAuthClientModule cannot connect to redis.url (${redisTarget(options.url)}): ${(error as Error).message}`);
    }
    return new RedisClientStore(redis, options.keyPrefix);
  }

  async set(keyHash: string, value: string, expiresAt: number): Promise<void> {
    await this.redis.set(this.key(keyHash), encode(value, expiresAt), 'PXAT', Math.ceil(expiresAt));
  }

  async get(keyHash: string, now: number): Promise<string | undefined> {
    return decode(await this.redis.get(this.key(keyHash)), now);
  }

  async take(keyHash: string, now: number): Promise<string | undefined> {
    return decode(await this.redis.getdel(this.key(keyHash)), now);
  }

  async claim(keyHash: string, value: string, expiresAt: number, now: number): Promise<boolean> {
    const key = this.key(keyHash);
    const encoded = encode(value, expiresAt);
    const at = Math.ceil(expiresAt);
    if ((await this.redis.set(key, encoded, 'PXAT', at, 'NX')) === 'OK') return true;
    return (await this.redis.eval(CLAIM_EXPIRED, 1, key, encoded, at, now)) === 1;
  }

  async delete(keyHash: string): Promise<void> {
    await this.redis.del(this.key(keyHash));
  }

  /** Redis expires the keys itself. */
  deleteExpired(): Promise<number> {
    return Promise.resolve(0);
  }

  /** Closes the connection (waits for the commands sent). */
  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private key(keyHash: string): string {
    return `${this.prefix}${keyHash}`;
  }
}

function encode(value: string, expiresAt: number): string {
  return `${expiresAt}:${value}`;
}

function decode(stored: string | null, now: number): string | undefined {
  if (stored === null) return undefined;
  const colon = stored.indexOf(':');
  const expiresAt = Number(stored.slice(0, colon));
  return colon > 0 && expiresAt > now ? stored.slice(colon + 1) : undefined;
}
