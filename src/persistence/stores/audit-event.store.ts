import { Inject, Injectable } from '@nestjs/common';
import { And, LessThan, MoreThanOrEqual, type FindOperator, type FindOptionsWhere, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AuditEventEntity } from '../entities/audit-event.entity.js';

/** Which rows `AuditEventStore.list` reads (every field optional; times in ms). */
export interface AuditEventFilter {
  subject?: string;
  clientId?: string;
  name?: string;
  /** At or after (ms). */
  since?: number;
  /** Before (ms). */
  until?: number;
  limit: number;
}

/** The audit table (`audit.store`): written in batches, read newest first, purged by age. */
@Injectable()
export class AuditEventStore {
  private readonly repository: Repository<AuditEventEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(AuditEventEntity);
  }

  /** Inserts the rows with one statement (all or none). */
  async insert(rows: AuditEventEntity[]): Promise<void> {
    if (rows.length > 0) await this.repository.insert(rows);
  }

  /** Matching rows, newest first. */
  list(filter: AuditEventFilter): Promise<AuditEventEntity[]> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (filter.subject !== undefined) where.subject = filter.subject;
    if (filter.clientId !== undefined) where.clientId = filter.clientId;
    if (filter.name !== undefined) where.name = filter.name;
    const at = timeRange(filter.since, filter.until);
    if (at) where.at = at;
    return this.repository.find({ where, order: { at: 'DESC', id: 'DESC' }, take: filter.limit });
  }

  /** Deletes rows older than `before` (ms); resolves how many. */
  async deleteBefore(before: number): Promise<number> {
    return (await this.repository.delete({ at: LessThan(before) })).affected ?? 0;
  }
}

function timeRange(since: number | undefined, until: number | undefined): FindOperator<number> | undefined {
  if (since !== undefined && until !== undefined) return And(MoreThanOrEqual(since), LessThan(until));
  if (since !== undefined) return MoreThanOrEqual(since);
  if (until !== undefined) return LessThan(until);
  return undefined;
}
