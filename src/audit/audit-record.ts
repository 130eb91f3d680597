import type { AuthEventMap, AuthEventName } from '../events/auth-event-map.js';
import { randomBytes } from 'node:crypto';
import type { AuditEventEntity } from '../persistence/entities/audit-event.entity.js';

/** One stored event, as `AuditTrail.list()` resolves it: discriminated by `name`, with the event as emitted. */
export type AuditRecord = {
  [K in AuthEventName]: {
    /** The row's id (time-ordered). */
    readonly id: string;
    readonly name: K;
    /** The event as it was emitted (`at`, `requestId`, `clientId`, `subject` and the rest). */
    readonly event: AuthEventMap[K];
  };
}[AuthEventName];

/** What `AuditTrail.list()` reads; every field optional. */
export interface AuditQuery {
  /** Events about this user (`subject`). */
  subject?: string;
  /** Events about this client (`clientId`). */
  clientId?: string;
  /** Events of this name only (`AUTH_EVENTS.tokenIssued`...). */
  name?: AuthEventName;
  /** At or after this instant (a Date or epoch ms). */
  since?: Date | number;
  /** Before this instant (a Date or epoch ms). */
  until?: Date | number;
  /**
   * Rows at most, newest first (1 to 1000).
   * @default 100
   */
  limit?: number;
}

/** Column lengths of `authnest_audit_events`: longer values are cut in the column (the JSON keeps them whole). */
const REQUEST_ID_LENGTH = 128;
const ID_LENGTH = 255;

/** Rows made by this process so far: orders the rows of one millisecond as they were emitted. */
let sequence = 0;

/**
 * A row id that sorts as the events were emitted (fixed-width lowercase hex, so text order is numeric order): the
 * millisecond, this process's sequence number, then random bits (rows of other instances in the same millisecond).
 */
function auditRowId(at: number): string {
  sequence = (sequence + 1) % 2 ** 32;
  return `${Math.max(0, Math.trunc(at)).toString(16).padStart(12, '0')}${sequence.toString(16).padStart(8, '0')}${randomBytes(6).toString('hex')}`;
}

const cut = (value: unknown, length: number): string | null => (typeof value === 'string' && value !== '' ? value.slice(0, length) : null);

/** The row of an event: indexed columns, and the whole event but `at` as JSON. */
export function auditRow(name: AuthEventName, event: AuthEventMap[AuthEventName]): AuditEventEntity {
  const { at, ...rest } = event;
  const fields = rest as Record<string, unknown>;
  return {
    id: auditRowId(at),
    name,
    at,
    requestId: cut(fields.requestId, REQUEST_ID_LENGTH),
    clientId: cut(fields.clientId, ID_LENGTH),
    subject: cut(fields.subject, ID_LENGTH),
    data: JSON.stringify(rest),
  };
}

/** The record of a stored row. */
export function auditRecord(row: AuditEventEntity): AuditRecord {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return { id: row.id, name: row.name, event: { ...data, at: row.at } } as AuditRecord;
}
