import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/**
 * One event of the audit table (`audit.store`): its name, when, the request that caused it, the client and subject
 * it concerns (columns, indexed with the time, to list by either), and the rest of the event as JSON text. Events
 * never carry a secret, so neither does this table.
 */
@Entity({ name: 'authnest_audit_events' })
@Index('authnest_audit_events_client_at_idx', ['clientId', 'at'])
@Index('authnest_audit_events_subject_at_idx', ['subject', 'at'])
export class AuditEventEntity {
  /** Sorts as the events were emitted: the time (ms), a sequence number and random bits, in hex. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  /** The event name (`authnest.token.issued`...). */
  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** When it happened (ms). */
  @Index('authnest_audit_events_at_idx')
  @Column({ type: 'bigint', transformer: epochMillis })
  at: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 255, nullable: true })
  clientId: string | null;

  /** The resource owner (user) the event concerns, when there is one. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  subject: string | null;

  /** The event's other fields, as JSON text. */
  @Column({ type: 'text' })
  data: string;
}
