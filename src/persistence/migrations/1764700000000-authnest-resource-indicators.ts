import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text } from './migration-columns.js';

/**
 * Resource indicators (RFC 8707): the resources a client may name (null: every configured one), and the resources
 * an authorization code and its refresh tokens were granted for (JSON lists). The device codes' column is
 * `AuthnestDeviceResources1764700000001`.
 */
export class AuthnestResourceIndicators1764700000000 implements MigrationInterface {
  name = 'AuthnestResourceIndicators1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('authnest_clients', new TableColumn(text('resources', true)));
    await queryRunner.addColumn('authnest_authorization_codes', new TableColumn(text('resources', true)));
    await queryRunner.addColumn('authnest_refresh_tokens', new TableColumn(text('resources', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('authnest_refresh_tokens', 'resources');
    await queryRunner.dropColumn('authnest_authorization_codes', 'resources');
    await queryRunner.dropColumn('authnest_clients', 'resources');
  }
}
