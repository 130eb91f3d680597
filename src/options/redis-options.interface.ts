/**
 * A Redis server (5 or later; not Redis Cluster) shared by every instance of the authorization server, for several
 * instances behind a load balancer:
 * - used replay values (DPoP proof `jti`s, client assertion and JWT bearer `jti`s, OpenID Connect nonces) are checked
 *   there with one atomic script and written behind to the database;
 * - rate limits (login, device user codes, dynamic registration) are counted there, with the same windows;
 * - an access token revoked at one instance is dropped from every instance's verified-token cache at once (a message on
 *   `<keyPrefix>revoked` with the token's id, never the token). A refresh token's revocation is not told: its access
 *   tokens are seen revoked when the caches expire, as without Redis.
 *
 * The database stays the authority: when Redis does not answer (down, unreachable, slower than `commandTimeout`), each
 * instance uses the database instead, logs one warning per outage, and goes back to Redis once it answers again.
 * Configure Redis with `maxmemory-policy noeviction`: an evicted replay key would let its value be used again.
 */
export interface AuthRedisOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS (usually `process.env.REDIS_URL`). */
  url: string;
  /**
   * Prepended to every key authnest writes, to share a Redis with other apps. Keys hold only hashes and counters.
   * @default 'authnest:'
   */
  keyPrefix?: string;
  /**
   * Milliseconds to wait for Redis at boot (and for each reconnection attempt). When it is not reachable by then the
   * app boots anyway, warns, and uses the database until Redis answers (an invalid URL or refused credentials stop the
   * boot). 100 to 60000.
   * @default 2000
   */
  connectTimeout?: number;
  /**
   * Milliseconds a Redis command may take before the request goes on with the database instead (and Redis counts as
   * down until it answers a ping again). 10 to 10000.
   * @default 200
   */
  commandTimeout?: number;
}
