import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AuditEventStore } from '../persistence/stores/audit-event.store.js';
import { auditRecord, type AuditQuery, type AuditRecord } from './audit-record.js';
import { AuditWriter } from './audit-writer.service.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function epochMs(value: Date | number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) throw new TypeError(`authnest: AuditTrail.list: ${name} must be a valid Date or epoch milliseconds`);
  return ms;
}

/**
 * The audit table for the host app (`audit: { store: true }`): `list()` reads stored events newest first, by subject,
 * client, name and time; `flush()` writes what waits in memory first (tests, a shutdown of your own); `purge()` deletes
 * rows older than `audit.retention` (the token purge calls it on its timer).
 */
@Injectable()
export class AuditTrail {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: AuditEventStore,
    private readonly writer: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** Stored events matching `query`, newest first. Events emitted in the last `AUDIT_FLUSH_INTERVAL_MS` may not be stored yet (`flush()`). */
  async list(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`authnest: AuditTrail.list: limit must be an integer from 1 to ${MAX_LIMIT}`);
    const rows = await this.store.list({
      subject: query.subject,
      clientId: query.clientId,
      name: query.name,
      since: epochMs(query.since, 'since'),
      until: epochMs(query.until, 'until'),
      limit,
    });
    return rows.map(auditRecord);
  }

  /** Writes the events waiting in memory now; resolves once they are stored (or dropped, the table being unavailable). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Deletes rows older than `audit.retention` (none when it is 0); resolves how many went. */
  purge(): Promise<number> {
    const { retention } = this.options.audit;
    if (retention === 0) return Promise.resolve(0);
    return this.store.deleteBefore(this.clock.now() - retention * 1000);
  }
}
