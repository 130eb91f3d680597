import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_DATA_SOURCE, AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { AuthDataSource } from '../persistence/auth-data-source.js';
import { REDIS_UNAVAILABLE, type AuthRedis } from '../persistence/redis/auth-redis.js';
import { AUTH_REDIS } from '../persistence/redis/redis.token.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { KeyStoreService } from '../tokens/key-store.service.js';
import { signerOf } from '../tokens/signing-key-lifecycle.js';
import type { AuthHealthCheckOptions, AuthHealthReport, DatabaseHealth, KeysHealth, RedisHealth } from './auth-health-report.js';

const DEFAULT_TIMEOUT_MS = 1000;

/** Thrown by `within` when the work did not settle in time. */
class Timeout extends Error {}

/** `work`, or a `Timeout` rejection after `ms` (the work itself goes on: a driver call cannot be cancelled). */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout()), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Why `what` failed, without the driver's message (it may name hosts, users or SQL): no answer in time, else the
 * error's code (`ECONNREFUSED`, `57P01`, `SQLITE_BUSY`) or its name.
 */
function failure(what: string, error: unknown, ms: number): string {
  if (error instanceof Timeout) return `${what}: no answer within ${ms} ms`;
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } | null };
  const safe = [code, driverError?.code].find((value): value is string => typeof value === 'string' && /^[A-Z0-9_]{1,40}$/.test(value));
  return `${what} failed (${safe ?? (error instanceof Error ? error.name : typeof error)})`;
}

const elapsed = (start: number): number => Math.round((performance.now() - start) * 10) / 10;

/**
 * The health of what authnest depends on, for readiness probes: the database (a trivial query with a timeout), the
 * signing keys (the key set reads and a key signs now) and Redis when configured. Reads only: a check never creates
 * a key nor writes anything. For `@nestjs/terminus`, `AuthHealthIndicator` from `authnest/health` wraps it.
 */
@Injectable()
export class AuthHealth {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(AUTH_DATA_SOURCE) private readonly handle: AuthDataSource,
    private readonly keyStore: KeyStoreService,
    private readonly signingKeys: SigningKeyStore,
    private readonly clock: Clock,
    @Optional() @Inject(AUTH_REDIS) private readonly redis?: AuthRedis | null,
  ) {}

  /** Checks every part at once; `up` when each is up (or Redis not configured). */
  async check(options: AuthHealthCheckOptions = {}): Promise<AuthHealthReport> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const [database, keys, redis] = await Promise.all([this.database(timeout), this.keys(timeout), this.redisHealth()]);
    const up = database.status === 'up' && keys.status === 'up' && redis.status !== 'down';
    return { status: up ? 'up' : 'down', database, keys, redis };
  }

  private async database(timeout: number): Promise<DatabaseHealth> {
    const start = performance.now();
    try {
      await within(this.handle.dataSource.query('SELECT 1'), timeout);
      return { status: 'up', latencyMs: elapsed(start) };
    } catch (error) {
      return { status: 'down', latencyMs: elapsed(start), message: failure('query', error, timeout) };
    }
  }

  private async keys(timeout: number): Promise<KeysHealth> {
    const start = performance.now();
    const alg = this.options.signing.algorithm;
    let signer: { kid: string } | undefined;
    try {
      const stored = await within(this.signingKeys.findAll(), timeout);
      signer = signerOf(stored, alg, this.clock.now(), this.keyStore.lifecycle());
    } catch (error) {
      return { status: 'down', latencyMs: elapsed(start), message: failure('key set read', error, timeout) };
    }
    const latencyMs = elapsed(start);
    if (!signer) return { status: 'down', latencyMs, alg, message: `no active signing key of ${alg}` };
    try {
      this.keyStore.signingKey();
    } catch {
      return { status: 'down', latencyMs, kid: signer.kid, alg, message: 'this instance cannot use its signing key' };
    }
    return { status: 'up', latencyMs, kid: signer.kid, alg };
  }

  private async redisHealth(): Promise<RedisHealth> {
    if (!this.redis) return { status: 'not configured' };
    if (!this.redis.available) return { status: 'down', message: 'not answering (the database is used meanwhile)' };
    const start = performance.now();
    const pong = await this.redis.run((client) => client.ping());
    if (pong === REDIS_UNAVAILABLE) return { status: 'down', latencyMs: elapsed(start), message: 'ping failed or timed out' };
    return { status: 'up', latencyMs: elapsed(start) };
  }
}
