import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, text, varchar } from './migration-columns.js';

const TABLE = 'authnest_clients';
const TOKEN_INDEX = 'authnest_clients_registration_token_uq';

/**
 * Dynamic client registration (RFC 7591, RFC 7592): when a client registered itself, the SHA-256 of its registration
 * access token (never the token) with its expiry, and the metadata kept as registered.
 */
export class AuthnestClientRegistration1764400000000 implements MigrationInterface {
  name = 'AuthnestClientRegistration1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(TABLE, [
      new TableColumn(bigint('registered_at', true)),
      new TableColumn(varchar('registration_token_hash', 64, true)),
      new TableColumn(bigint('registration_token_expires_at', true)),
      new TableColumn(text('registration_metadata', true)),
    ]);
    await queryRunner.createIndex(TABLE, new TableIndex({ name: TOKEN_INDEX, columnNames: ['registration_token_hash'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(TABLE, TOKEN_INDEX);
    await queryRunner.dropColumns(TABLE, ['registration_metadata', 'registration_token_expires_at', 'registration_token_hash', 'registered_at']);
  }
}
