/** Whether a part authnest depends on answers. */
export type AuthHealthStatus = 'up' | 'down';

/** The database: a trivial query (`SELECT 1`). */
export interface DatabaseHealth {
  status: AuthHealthStatus;
  /** Milliseconds the query took (or waited, when it did not answer). */
  latencyMs: number;
  /** Why it is down: a timeout, or the error's code or name (never the driver's message, which may name hosts or users). */
  message?: string;
}

/** The signing keys: the stored key set reads, a key of `signing.algorithm` signs now, and this instance can use it. */
export interface KeysHealth {
  status: AuthHealthStatus;
  /** Milliseconds reading the key set took. */
  latencyMs: number;
  /** The `kid` of the key that signs now (public: it is in the JWKS). */
  kid?: string;
  /** Its algorithm (`signing.algorithm`). */
  alg?: string;
  /** Why it is down. */
  message?: string;
}

/** The server's Redis (`redis` option): a `PING` when it is counted up. */
export interface RedisHealth {
  /** `not configured` without the `redis` option (not a failure). */
  status: AuthHealthStatus | 'not configured';
  /** Milliseconds the ping took; absent when none was sent. */
  latencyMs?: number;
  /** Why it is down. */
  message?: string;
}

/** What `AuthHealth.check()` found: `up` when every configured part is up. */
export interface AuthHealthReport {
  status: AuthHealthStatus;
  database: DatabaseHealth;
  keys: KeysHealth;
  redis: RedisHealth;
}

/** Options of `AuthHealth.check()`. */
export interface AuthHealthCheckOptions {
  /**
   * Milliseconds each database read waits before the part counts as down (a hung database must not hang the probe).
   * Redis's own `redis.commandTimeout` bounds its ping.
   * @default 1000
   */
  timeout?: number;
}
