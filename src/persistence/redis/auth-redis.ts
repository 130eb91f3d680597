import type { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { setImmediate as nodeSetImmediate } from 'node:timers';
import { redisTarget } from '../../client/redis-client-store.js';
import type { ResolvedRedisOptions } from '../../options/resolve-redis-options.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** What `AuthRedis.run` resolves when Redis did not answer: the caller uses the database instead. */
export const REDIS_UNAVAILABLE: unique symbol = Symbol('authnest:redis-unavailable');

/** Milliseconds between pings while Redis is counted down (the connection itself reconnects on its own). */
const PROBE_INTERVAL_MS = 500;

/** Errors that a reconnection will not cure: the boot stops on them. */
const REFUSED = /WRONGPASS|NOAUTH|invalid (username-)?password|AUTH.*(failed|without any password)|DB index is out of range/i;

/**
 * The server's Redis connection and whether it is usable. Redis is a cache in front of the database, never the only
 * record, so a request never waits for it: commands time out after `commandTimeout`, nothing is queued while it is
 * disconnected, and after a failure Redis counts as down (every caller goes to the database at once) until it
 * answers a ping and the recovery steps (see `onRecovery`) have run. One warning per outage, one note when it is back.
 */
export class AuthRedis {
  readonly keyPrefix: string;
  private readonly target: string;
  private up = false;
  private started = false;
  private closed = false;
  private outage = false;
  private recovering?: Promise<void>;
  private probe?: NodeJS.Timeout;
  private lastError = 'connection closed';
  private readonly recoverySteps: Array<() => Promise<void>> = [];
  private readonly commandTimeout: number;

  private constructor(
    readonly client: Redis,
    options: ResolvedRedisOptions,
    private readonly logger: Logger,
  ) {
    this.keyPrefix = options.keyPrefix;
    this.commandTimeout = options.commandTimeout;
    this.target = redisTarget(options.url);
    client.on('error', (error: Error) => (this.lastError = error.message));
    client.on('close', () => this.lost(this.lastError));
    client.on('ready', () => this.recover());
  }

  /**
   * Opens the connection, waiting up to `connectTimeout`. Refused credentials reject (the boot stops); an unreachable
   * Redis does not: the instance starts on the database and keeps reconnecting in the background.
   */
  static async connect(options: ResolvedRedisOptions, logger = new AuthLogger()): Promise<AuthRedis> {
    const client = new Redis(options.url, {
      lazyConnect: true,
      connectionName: 'authnest-server',
      connectTimeout: options.connectTimeout,
      // Command timeouts are ours (`within`), which tell a slow Redis from a busy event loop.
      // Fail fast rather than queue or resend: a request that Redis did not answer goes to the database.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
    });
    const redis = new AuthRedis(client, options, logger);
    // ioredis gives up on a connection after connectTimeout; this backstop covers a server that accepts and never answers.
    const backstop = options.connectTimeout + options.commandTimeout + 1000;
    let timer: NodeJS.Timeout | undefined;
    let failure: string | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${backstop} ms`)), backstop))),
      ]);
    } catch (error) {
      failure = (error as Error).message === 'Connection is closed.' ? redis.lastError : (error as Error).message;
    } finally {
      clearTimeout(timer);
    }
    // A refused password (or a database index the server does not have: ioredis reports it and goes on in db 0).
    const refused = [redis.lastError, failure].find((message) => message !== undefined && REFUSED.test(message));
    if (refused) {
      client.disconnect();
      throw new Error(`authnest: redis.url (${redis.target}) refused the credentials or database: ${refused}`);
    }
    if (failure !== undefined) redis.warnOnce(`not reachable at boot (${failure})`);
    return redis;
  }

  /** Whether commands go to Redis now (false while it is down or recovering). */
  get available(): boolean {
    return this.up && !this.closed;
  }

  /** A key under the configured prefix (`parts` are hashes or fixed names, never secrets). */
  key(...parts: string[]): string {
    return `${this.keyPrefix}${parts.join(':')}`;
  }

  /**
   * Registers a step run each time Redis becomes usable (at boot and after every outage or reconnection), before any
   * caller uses it again; a step that fails keeps Redis counted down (retried at the next ping).
   */
  onRecovery(step: () => Promise<void>): void {
    this.recoverySteps.push(step);
  }

  /**
   * Runs `command` when Redis is usable; resolves `REDIS_UNAVAILABLE` when it is not, or when the command fails or
   * times out (then Redis counts as down until it answers again).
   */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T | typeof REDIS_UNAVAILABLE> {
    if (!this.available) return REDIS_UNAVAILABLE;
    try {
      return await this.within(command(this.client));
    } catch (error) {
      this.lost((error as Error).message);
      return REDIS_UNAVAILABLE;
    }
  }

  /** Called once the module's providers exist (recovery steps registered): the first recovery, awaited. */
  async start(): Promise<void> {
    this.started = true;
    if (this.client.status === 'ready') await this.recover();
    else this.startProbe();
  }

  /** Stops reconnecting and closes the connection (waits for the commands sent when it is up). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe();
    await this.recovering?.catch(() => undefined);
    if (this.client.status === 'end') return;
    if (this.client.status !== 'ready') return this.client.disconnect();
    try {
      await this.within(this.client.quit());
    } catch {
      this.client.disconnect();
    }
  }

  /** Redis did not answer: count it down, warn once for this outage, and ping until it is back. */
  private lost(reason: string): void {
    if (this.closed) return;
    if (this.up) {
      this.up = false;
      this.warnOnce(`unavailable (${reason})`);
    }
    if (this.started) this.startProbe();
  }

  private warnOnce(what: string): void {
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(`AuthModule Redis (${this.target}) ${what}: replay checks and rate limits use the database until it answers`);
  }

  /** Pings, runs the recovery steps, then lets callers use Redis again. */
  private recover(): Promise<void> {
    if (!this.started || this.closed || this.up) return Promise.resolve();
    this.recovering ??= (async () => {
      try {
        if ((await this.within(this.client.ping())) !== 'PONG') return;
        for (const step of this.recoverySteps) await this.within(step(), 'recovery');
        if (this.closed) return;
        this.up = true;
        this.stopProbe();
        if (this.outage) this.logger.log(`AuthModule Redis (${this.target}) answers again: replay checks and rate limits use it`);
        this.outage = false;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.warnOnce(`unavailable (${this.lastError})`);
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }

  /**
   * `command`, or a rejection after `commandTimeout`. When the timer fires, the reply gets one more turn of the event
   * loop: after a stall (GC, CPU-bound work) timers run before the sockets are read, and an answer that is already
   * there must not count as an outage. A recovery (several commands and a database query) gets ten times as long.
   */
  private within<T>(command: Promise<T>, kind: 'command' | 'recovery' = 'command'): Promise<T> {
    const ms = kind === 'command' ? this.commandTimeout : this.commandTimeout * 10;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        finish();
      };
      const timer = setTimeout(() => nodeSetImmediate(() => settle(() => reject(new Error(`Redis did not answer within ${ms} ms`)))), ms);
      command.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  private startProbe(): void {
    if (this.probe || this.closed) return;
    this.probe = setInterval(() => {
      if (this.client.status === 'ready') void this.recover();
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}
