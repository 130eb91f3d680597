import type { AuthEventName } from '../events/auth-event-map.js';

/**
 * The audit table (`authnest_audit_events`): authnest's own subscriber to its events, writing them to the database
 * (batched off the request path; never failing a request) and deleting them after `retention`. Read it with
 * `AuditTrail.list()`. Events reach `@nestjs/event-emitter` listeners whether or not they are stored.
 */
export interface AuditOptions {
  /**
   * Writes events to the audit table. Rows are written in batches (every 100 ms, or at once when 100 are waiting,
   * and at shutdown); while the database is unavailable, batches are dropped with one warning per outage.
   * @default false
   */
  store?: boolean;
  /**
   * Seconds an audit row is kept; the purge (`purgeInterval`, `TokenPurgeService.purgeExpired()`) deletes older ones.
   * 0 keeps them forever.
   * @default 7776000 (90 days)
   */
  retention?: number;
  /**
   * The events stored (names from `AUTH_EVENTS`, e.g. `'authnest.token.issued'`); the others are only emitted.
   * @default every event
   */
  events?: AuthEventName[];
}
