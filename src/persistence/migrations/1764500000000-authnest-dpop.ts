import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, varchar } from './migration-columns.js';

/**
 * DPoP (RFC 9449): the key thumbprint (RFC 7638, base64url SHA-256) an access token or a public client's refresh token
 * is bound to, the `dpop_jkt` an authorization code was requested with, and clients that must always send proofs
 * (`dpop_bound_access_tokens`). Proof `jti`s use the existing `authnest_nonces` table.
 */
export class AuthnestDpop1764500000000 implements MigrationInterface {
  name = 'AuthnestDpop1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('authnest_access_tokens', new TableColumn(varchar('jkt', 64, true)));
    await queryRunner.addColumn('authnest_refresh_tokens', new TableColumn(varchar('jkt', 64, true)));
    await queryRunner.addColumn('authnest_authorization_codes', new TableColumn(varchar('dpop_jkt', 64, true)));
    await queryRunner.addColumn('authnest_clients', new TableColumn(bool('dpop_bound_access_tokens')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('authnest_clients', 'dpop_bound_access_tokens');
    await queryRunner.dropColumn('authnest_authorization_codes', 'dpop_jkt');
    await queryRunner.dropColumn('authnest_refresh_tokens', 'jkt');
    await queryRunner.dropColumn('authnest_access_tokens', 'jkt');
  }
}
