import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text, varchar } from './migration-columns.js';

/** JWT client authentication (RFC 7523): clients' keys, their signing algorithm, and client_secret_jwt's sealed secret. */
export class AuthnestClientAssertions1764200000000 implements MigrationInterface {
  name = 'AuthnestClientAssertions1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('authnest_clients', [
      new TableColumn(text('secret_sealed', true)),
      new TableColumn(text('jwks', true)),
      new TableColumn(text('jwks_uri', true)),
      new TableColumn(varchar('token_endpoint_auth_signing_alg', 16, true)),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('authnest_clients', ['token_endpoint_auth_signing_alg', 'jwks_uri', 'jwks', 'secret_sealed']);
  }
}
