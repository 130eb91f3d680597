import type { Provider } from '@nestjs/common';
import { TokenIssuanceEvents } from '../events/token-issuance-events.service.js';
import { AuditEventStore } from '../persistence/stores/audit-event.store.js';
import { AuditTrail } from './audit-trail.service.js';
import { AuditWriter } from './audit-writer.service.js';

/** Events and the audit table: the token endpoint's issuance reports, the table's store, writer and reader. */
export const auditProviders: Provider[] = [TokenIssuanceEvents, AuditEventStore, AuditWriter, AuditTrail];
