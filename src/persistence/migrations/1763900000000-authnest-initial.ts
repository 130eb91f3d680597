import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, bool, primary, text, varchar } from './migration-columns.js';

/** Clients, opaque access tokens and signing keys. Dialect-neutral (SQLite and PostgreSQL). */
export class AuthnestInitial1763900000000 implements MigrationInterface {
  name = 'AuthnestInitial1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'authnest_clients',
        columns: [
          primary(varchar('client_id', 255)),
          varchar('secret_hash', 255, true),
          varchar('name', 255),
          text('auth_methods'),
          text('grant_types'),
          text('scopes'),
          text('default_scopes'),
          text('redirect_uris'),
          varchar('access_token_format', 16, true),
          varchar('audience', 1024, true),
          bool('disabled'),
          bigint('created_at'),
          bigint('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_access_tokens',
        columns: [
          primary(varchar('id', 64)),
          varchar('token_hash', 64),
          varchar('client_id', 255),
          varchar('subject', 255),
          text('scopes'),
          varchar('audience', 1024),
          bigint('issued_at'),
          bigint('expires_at'),
          bigint('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'authnest_access_tokens_hash_uq', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'authnest_access_tokens_expires_idx', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_signing_keys',
        columns: [
          primary(varchar('kid', 64)),
          varchar('alg', 16),
          varchar('status', 16),
          text('public_jwk'),
          text('private_jwk_encrypted'),
          bigint('created_at'),
          bigint('retire_after', true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('authnest_signing_keys');
    await queryRunner.dropTable('authnest_access_tokens');
    await queryRunner.dropTable('authnest_clients');
  }
}
