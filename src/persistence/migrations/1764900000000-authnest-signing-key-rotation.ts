import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint } from './migration-columns.js';

const TABLE = 'authnest_signing_keys';

/**
 * Signing-key rotation: when each key starts signing (`activate_at`; existing keys signed from their creation on, so
 * they get their `created_at`) and when it was revoked (`revoked_at`).
 */
export class AuthnestSigningKeyRotation1764900000000 implements MigrationInterface {
  name = 'AuthnestSigningKeyRotation1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(TABLE, [new TableColumn(bigint('activate_at', true)), new TableColumn(bigint('revoked_at', true))]);
    // Schema-qualified like the table itself (PostgreSQL `schema` option; SQLite has none).
    const { driver } = queryRunner.connection;
    const schema = (driver.options as { schema?: string }).schema;
    const table = schema ? `${driver.escape(schema)}.${driver.escape(TABLE)}` : driver.escape(TABLE);
    await queryRunner.query(`UPDATE ${table} SET activate_at = created_at`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns(TABLE, ['revoked_at', 'activate_at']);
  }
}
