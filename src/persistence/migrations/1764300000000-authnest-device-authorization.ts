import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, primary, text, varchar } from './migration-columns.js';

const TABLE = 'authnest_device_codes';

const index = (suffix: string, columns: string[], isUnique = false) => new TableIndex({ name: `${TABLE}_${suffix}`, columnNames: columns, isUnique });

/** The device authorization grant (RFC 8628): device codes and user codes, both stored as hashes only. */
export class AuthnestDeviceAuthorization1764300000000 implements MigrationInterface {
  name = 'AuthnestDeviceAuthorization1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          primary(varchar('id', 64)),
          varchar('device_code_hash', 64),
          varchar('user_code_hash', 64),
          varchar('client_id', 255),
          text('scopes'),
          varchar('status', 16),
          varchar('account_id', 255, true),
          bigint('auth_time', true),
          varchar('acr', 255, true),
          text('amr', true),
          { name: 'poll_interval', type: 'integer', isNullable: false },
          bigint('last_polled_at', true),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('decided_at', true),
          bigint('consumed_at', true),
        ],
        indices: [index('device_hash_uq', ['device_code_hash'], true), index('user_hash_uq', ['user_code_hash'], true), index('expires_idx', ['expires_at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}
