import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import type { AuthEventMap, AuthEventName } from '../events/auth-event-map.js';
import { AuthEvents, type AuthEventSink } from '../events/auth-events.service.js';
import { AuthLogger } from '../internal/auth-logger.js';
import type { ResolvedAuditOptions } from '../options/resolve-audit-options.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AuditEventStore } from '../persistence/stores/audit-event.store.js';
import { auditRow } from './audit-record.js';

/** Milliseconds an event waits in memory at most before it is written. */
export const AUDIT_FLUSH_INTERVAL_MS = 100;
/** Rows per statement; a full batch is written at once. */
export const AUDIT_BATCH_SIZE = 100;
/** Events waiting at most (a slow or unreachable database): later ones are dropped and counted. */
const MAX_WAITING = 10_000;

interface Waiting {
  name: AuthEventName;
  event: AuthEventMap[AuthEventName];
}

/** What a failed write says in the log: a code or the error's class, never the statement or its values. */
function describe(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error';
}

/**
 * The audit table's writer (`audit.store`): a sink of `AuthEvents` that keeps events in memory and writes them in
 * batches, off the request path (every `AUDIT_FLUSH_INTERVAL_MS`, at once when `AUDIT_BATCH_SIZE` wait, and at
 * shutdown), one batch at a time. A request never waits for it and never fails because of it: while the table cannot
 * be written, batches are dropped, with one warning when the outage starts and a count when writes resume.
 */
@Injectable()
export class AuditWriter implements AuthEventSink, BeforeApplicationShutdown {
  private readonly logger = new AuthLogger();
  private readonly audit: ResolvedAuditOptions;
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private writing = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;
  private outage = false;
  private dropped = 0;

  constructor(
    @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions,
    private readonly store: AuditEventStore,
    events: AuthEvents,
  ) {
    this.audit = options.audit;
    // In the constructor, before any lifecycle hook: events of the boot (the first signing key, seeded clients) count.
    if (this.audit.store) events.addSink(this);
  }

  accepts(name: AuthEventName): boolean {
    return !this.closed && (this.audit.events?.has(name) ?? true);
  }

  write<K extends AuthEventName>(name: K, event: AuthEventMap[K]): void {
    if (this.waiting.length >= MAX_WAITING) {
      this.noteDropped(1, 'too many events wait to be written');
      return;
    }
    this.waiting.push({ name, event });
    if (this.waiting.length >= AUDIT_BATCH_SIZE) this.startDraining();
    else this.timer ??= setTimeout(() => this.onTimer(), AUDIT_FLUSH_INTERVAL_MS).unref();
  }

  /** Writes every event emitted so far (or drops it, the table being unavailable); resolves when done. */
  async flush(): Promise<void> {
    this.clearTimer();
    do {
      this.startDraining();
      await this.drained;
    } while (this.waiting.length > 0);
  }

  /** Writes what waits before the DataSource closes (`onApplicationShutdown`); later events are not kept. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.startDraining();
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts writing batches until nothing waits, unless that is under way. */
  private startDraining(): void {
    if (this.writing) return;
    this.writing = true;
    this.drained = this.drain().finally(() => {
      this.writing = false;
      // Events that arrived as the last batch finished get their own timer.
      if (this.waiting.length > 0 && !this.closed) this.timer ??= setTimeout(() => this.onTimer(), AUDIT_FLUSH_INTERVAL_MS).unref();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, AUDIT_BATCH_SIZE);
      try {
        await this.store.insert(batch.map(({ name, event }) => auditRow(name, event)));
        this.resumed();
      } catch (error) {
        // The table is unavailable: what waits would fail the same way, so it goes too.
        const lost = batch.length + this.waiting.length;
        this.waiting = [];
        this.noteDropped(lost, `the audit table cannot be written (${describe(error)})`);
      }
    }
  }

  private noteDropped(count: number, why: string): void {
    this.dropped += count;
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(`Audit events are being dropped: ${why}. Requests are not affected; writes resume when the table can be written.`);
  }

  private resumed(): void {
    if (!this.outage) return;
    this.logger.log(`Audit writes resumed (${this.dropped} events dropped)`);
    this.outage = false;
    this.dropped = 0;
  }
}
