import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, primary, text, varchar } from './migration-columns.js';

/** The OAuth client's store: login attempts and signed-in users' sessions. */
export class AuthnestClientStore1764100000000 implements MigrationInterface {
  name = 'AuthnestClientStore1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'authnest_client_entries',
        columns: [primary(varchar('key_hash', 64)), text('value'), bigint('expires_at')],
        indices: [new TableIndex({ name: 'authnest_client_entries_expires_idx', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('authnest_client_entries');
  }
}
