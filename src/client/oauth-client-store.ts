/**
 * Where the OAuth client keeps login attempts, signed-in users' sessions and refresh locks: opaque sealed values
 * under SHA-256 key hashes, each with an expiry. Times are milliseconds since the epoch from authnest's `Clock`,
 * and every read checks the expiry against the `now` it is given. Implementations: `ClientEntryStore` (the
 * `database` option, TypeORM) and `RedisClientStore` (the `redis` option).
 */
export interface OAuthClientStore {
  /** Stores (or replaces) the entry until `expiresAt`. */
  set(keyHash: string, value: string, expiresAt: number): Promise<void>;
  /** The entry's value, unless it is missing or expired at `now`. */
  get(keyHash: string, now: number): Promise<string | undefined>;
  /** Reads and deletes the entry; of concurrent takers exactly one gets it (none when it expired at `now`). */
  take(keyHash: string, now: number): Promise<string | undefined>;
  /** Inserts the entry unless an unexpired one exists at `now` (a lock across instances); resolves whether it did. */
  claim(keyHash: string, value: string, expiresAt: number, now: number): Promise<boolean>;
  delete(keyHash: string): Promise<void>;
  /** Removes the entries expired at `now`; resolves how many (0 for a store that expires entries itself). */
  deleteExpired(now: number): Promise<number>;
}

/** DI token of the OAuth client's store (`OAuthClientStore`). */
export const OAUTH_CLIENT_STORE = Symbol('authnest:oauth-client-store');

/** Prefix of the keys `RedisClientStore` writes, by default. */
export const DEFAULT_REDIS_KEY_PREFIX = 'authnest:client:';
