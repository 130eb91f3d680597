import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text } from './migration-columns.js';

const TABLE = 'authnest_access_tokens';

/**
 * Token exchange (RFC 8693): an access token's `act` (its actor chain, section 4.1) and `may_act` (who may act for its
 * subject, section 4.4) as JSON, so introspection and later exchanges see them for opaque tokens as for JWTs.
 */
export class AuthnestTokenExchange1764800000000 implements MigrationInterface {
  name = 'AuthnestTokenExchange1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(TABLE, [new TableColumn(text('act', true)), new TableColumn(text('may_act', true))]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns(TABLE, ['may_act', 'act']);
  }
}
