import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, primary, text, varchar } from './migration-columns.js';

const TABLE = 'authnest_audit_events';

const index = (suffix: string, columns: string[]) => new TableIndex({ name: `${TABLE}_${suffix}`, columnNames: columns });

/** The audit table (`audit.store`): authnest's events, listed by time, by client and by subject. */
export class AuthnestAuditEvents1765200000000 implements MigrationInterface {
  name = 'AuthnestAuditEvents1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          primary(varchar('id', 64)),
          varchar('name', 64),
          bigint('at'),
          varchar('request_id', 128, true),
          varchar('client_id', 255, true),
          varchar('subject', 255, true),
          text('data'),
        ],
        indices: [index('at_idx', ['at']), index('client_at_idx', ['client_id', 'at']), index('subject_at_idx', ['subject', 'at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}
