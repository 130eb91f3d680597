import { setImmediate as nodeSetImmediate } from 'node:timers';
import { REDIS_UNAVAILABLE, type AuthRedis } from './auth-redis.js';
import { defineScripts, runScript } from './redis-scripts.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** Node's own `setImmediate`, taken at load (a test's fake timers do not hold the write-behind back). */
const afterThisTurn = nodeSetImmediate;

/** Rows written behind by one statement at most. */
const WRITE_BEHIND_BATCH = 200;

/** A used value: its hashed id and when it may be forgotten (ms). */
export interface NonceRow {
  id: string;
  expiresAt: number;
}

/** The database side of the nonce store, as `RedisNonces` uses it. */
export interface NonceDatabase {
  /** The authoritative check-and-record (the primary key decides). */
  remember(id: string, now: number, expiresAt: number): Promise<boolean>;
  seen(id: string, now: number): Promise<boolean>;
  /** Records rows Redis accepted (an upsert that keeps the later expiry). */
  record(rows: NonceRow[]): Promise<void>;
  /** The latest expiry of the unexpired rows, or 0. */
  latestExpiry(now: number): Promise<number>;
}

/**
 * Used replay values (DPoP proof `jti`s, assertion `jti`s, OpenID Connect nonces) checked in Redis by one atomic
 * script, and written behind to the database (batched, not awaited) so the database knows every value Redis accepted.
 *
 * When Redis does not answer, the database decides (awaited; the write-behind still pending is flushed first). Values
 * that only the database knows (accepted during an outage, or remembered before a Redis that lost its data) would be
 * accepted again by Redis once it is back, so a recovery opens a *recheck window* in Redis until the latest such value
 * expires: inside it, a value new to Redis is also checked in the database. Values accepted by this instance during
 * its outage are tracked here; a Redis that lost its data is recognised by its missing epoch key (written once, never
 * expiring), after which the window covers every unexpired row of the database.
 */
export class RedisNonces {
  private readonly logger = new AuthLogger();
  private readonly recheckKey: string;
  private readonly epochKey: string;
  private pending: NonceRow[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** The latest expiry of a value this instance remembered in the database only. */
  private latestDatabaseOnly = 0;

  constructor(
    private readonly redis: AuthRedis,
    private readonly database: NonceDatabase,
    private readonly now: () => number,
  ) {
    defineScripts(redis.client);
    this.recheckKey = redis.key('nonce-recheck');
    this.epochKey = redis.key('nonce-epoch');
    redis.onRecovery(() => this.openRecheckWindow());
  }

  async remember(id: string, now: number, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAt - now));
    const answer = await this.redis.run((client) => runScript(client, 'authnestRememberNonce', this.key(id), this.recheckKey, expiresAt, ttl, now));
    if (answer === 0) return false;
    if (answer === 1) {
      this.writeBehind({ id, expiresAt });
      return true;
    }
    if (answer === 2) return this.database.remember(id, now, expiresAt);
    await this.drain();
    const fresh = await this.database.remember(id, now, expiresAt);
    if (fresh) this.rememberedInDatabaseOnly(expiresAt);
    return fresh;
  }

  async seen(id: string, now: number): Promise<boolean> {
    const answer = await this.redis.run((client) => runScript(client, 'authnestSeenNonce', this.key(id), this.recheckKey, now));
    if (answer === 1) return true;
    if (answer === 0) return false;
    if (answer === REDIS_UNAVAILABLE) await this.drain();
    return this.database.seen(id, now);
  }

  /** Resolves once every value accepted so far is written to the database (or its failure logged). */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.scheduled) await this.flush();
    await this.flushing;
  }

  private key(id: string): string {
    return this.redis.key('nonce', id);
  }

  private writeBehind(row: NonceRow): void {
    this.pending.push(row);
    if (this.scheduled) return;
    this.scheduled = true;
    afterThisTurn(() => void this.flush());
  }

  /** Writes the pending rows, one statement per batch, after the previous flush. */
  private flush(): Promise<void> {
    this.scheduled = false;
    const rows = this.pending.splice(0);
    if (rows.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      for (let start = 0; start < rows.length; start += WRITE_BEHIND_BATCH) {
        const batch = rows.slice(start, start + WRITE_BEHIND_BATCH);
        try {
          await this.database.record(batch);
        } catch (error) {
          // Only counts and the driver's message: the ids are hashes, but a log is no place for them either.
          this.logger.error(`Could not write ${batch.length} used replay value(s) behind to the database (Redis has them): ${(error as Error).message}`);
        }
      }
    });
    return this.flushing;
  }

  private rememberedInDatabaseOnly(expiresAt: number): void {
    this.latestDatabaseOnly = Math.max(this.latestDatabaseOnly, expiresAt);
    // Redis came back while the database answered: the recovery may have missed this value.
    if (this.redis.available) void this.extendRecheck(expiresAt, this.now()).catch(() => undefined);
  }

  /** Recovery step: open (or extend) the recheck window over the values Redis may not know. */
  private async openRecheckWindow(): Promise<void> {
    const now = this.now();
    let until = this.latestDatabaseOnly;
    // The epoch key is written after the window is open: a recovery that fails halfway finds it missing again.
    const emptied = (await this.redis.client.exists(this.epochKey)) === 0;
    if (emptied) {
      await this.drain();
      until = Math.max(until, await this.database.latestExpiry(now));
    }
    await this.extendRecheck(until, now);
    if (emptied) await this.redis.client.set(this.epochKey, String(now));
  }

  private async extendRecheck(until: number, now: number): Promise<void> {
    if (until <= now) return;
    await runScript(this.redis.client, 'authnestExtendRecheck', this.recheckKey, until, Math.max(1, Math.ceil(until - now)));
  }
}
