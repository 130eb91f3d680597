import type { Redis } from 'ioredis';

/**
 * Lua scripts run atomically by Redis. Expiry is decided by the app's clock (`now` and the expiry are stored or passed
 * in milliseconds, as the database stores them), so Redis and the database agree whatever Redis's own clock says; the
 * keys' `PX` only lets Redis drop them.
 */
const SCRIPTS = {
  /**
   * KEYS: nonce, recheck marker; ARGV: expiresAt, ttl ms, now. 0: remembered and unexpired (a replay); 1: recorded
   * now; 2: recorded now, but the database must decide (a recheck window is open, see `RedisNonces`).
   */
  authnestRememberNonce: {
    numberOfKeys: 2,
    lua: `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local recheck = redis.call('GET', KEYS[2])
if recheck and tonumber(recheck) > tonumber(ARGV[3]) then return 2 end
return 1`,
  },
  /** KEYS: nonce, recheck marker; ARGV: now. 1: remembered; 0: not; 2: not in Redis, ask the database. */
  authnestSeenNonce: {
    numberOfKeys: 2,
    lua: `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[1]) then return 1 end
local recheck = redis.call('GET', KEYS[2])
if recheck and tonumber(recheck) > tonumber(ARGV[1]) then return 2 end
return 0`,
  },
  /** KEYS: recheck marker; ARGV: until, ttl ms. Moves the marker later (never earlier). */
  authnestExtendRecheck: {
    numberOfKeys: 1,
    lua: `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
  },
  /**
   * KEYS: counter; ARGV: now, window ms. The database store's fixed window: a counter whose window started at or
   * before `now - window` starts again at 1 (window start = now); otherwise it is incremented. Resolves the count.
   */
  authnestRateLimitHit: {
    numberOfKeys: 1,
    lua: `
local start = redis.call('HGET', KEYS[1], 's')
if (not start) or tonumber(start) <= tonumber(ARGV[1]) - tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'c', 1)`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** Defines the scripts on a connection (ioredis sends EVALSHA, and the script itself after a Redis restart). */
export function defineScripts(client: Redis): void {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    if (typeof (client as unknown as Record<string, unknown>)[name] !== 'function') client.defineCommand(name, script);
  }
}

/** Runs a defined script with its keys then its arguments. */
export function runScript(client: Redis, name: ScriptName, ...keysThenArgs: Array<string | number>): Promise<unknown> {
  return (client as unknown as Record<ScriptName, (...args: Array<string | number>) => Promise<unknown>>)[name](...keysThenArgs);
}
