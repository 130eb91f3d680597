import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, bool, primary, text, varchar } from './migration-columns.js';

const TABLE = 'authnest_pushed_requests';
const CLIENTS = 'authnest_clients';
const REQUIRE_COLUMN = 'require_pushed_authorization_requests';

/**
 * Pushed authorization requests (RFC 9126): the requests, known by the SHA-256 hash of their `request_uri` reference
 * only, and the per-client flag that makes pushing them mandatory (section 6).
 */
export class AuthnestPushedAuthorizationRequests1764600000000 implements MigrationInterface {
  name = 'AuthnestPushedAuthorizationRequests1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [primary(varchar('reference_hash', 64)), varchar('client_id', 255), text('parameters'), bigint('created_at'), bigint('expires_at'), bigint('consumed_at', true)],
        indices: [new TableIndex({ name: `${TABLE}_expires_idx`, columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.addColumn(CLIENTS, new TableColumn(bool(REQUIRE_COLUMN)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(CLIENTS, REQUIRE_COLUMN);
    await queryRunner.dropTable(TABLE);
  }
}
