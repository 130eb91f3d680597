import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, primary, text, varchar } from './migration-columns.js';

const index = (table: string, suffix: string, columns: string[], isUnique = false) =>
  new TableIndex({ name: `${table}_${suffix}`, columnNames: columns, isUnique });

const sid = () => new TableColumn(varchar('sid', 64, true));
const authentication = () => [new TableColumn(varchar('acr', 255, true)), new TableColumn(text('amr', true))];
const claims = () => new TableColumn(text('claims', true));

/** OpenID Connect: client logout and subject settings, session ids, authentication context, claims requests, nonces. */
export class AuthnestOpenIdConnect1764000000000 implements MigrationInterface {
  name = 'AuthnestOpenIdConnect1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('authnest_clients', [
      new TableColumn(text('post_logout_redirect_uris', true)),
      new TableColumn(text('backchannel_logout_uri', true)),
      new TableColumn({ ...varchar('subject_type', 16), default: "'public'" }),
      new TableColumn(varchar('sector_identifier', 255, true)),
    ]);
    await queryRunner.addColumns('authnest_sessions', [sid(), ...authentication()]);
    await queryRunner.createIndex('authnest_sessions', index('authnest_sessions', 'sid_uq', ['sid'], true));
    await queryRunner.addColumns('authnest_authorization_codes', [sid(), ...authentication(), claims()]);
    await queryRunner.addColumns('authnest_refresh_tokens', [sid(), ...authentication(), claims()]);
    await queryRunner.createIndex('authnest_refresh_tokens', index('authnest_refresh_tokens', 'sid_idx', ['sid']));
    await queryRunner.addColumns('authnest_access_tokens', [sid(), claims()]);
    await queryRunner.createIndex('authnest_access_tokens', index('authnest_access_tokens', 'sid_idx', ['sid']));
    await queryRunner.addColumns('authnest_consents', [claims()]);
    await queryRunner.createTable(
      new Table({
        name: 'authnest_session_clients',
        columns: [primary(varchar('sid', 64)), primary(varchar('client_id', 255)), bigint('expires_at')],
        indices: [index('authnest_session_clients', 'expires_idx', ['expires_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_nonces',
        columns: [primary(varchar('id', 64)), bigint('expires_at')],
        indices: [index('authnest_nonces', 'expires_idx', ['expires_at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('authnest_nonces');
    await queryRunner.dropTable('authnest_session_clients');
    await queryRunner.dropColumns('authnest_consents', ['claims']);
    await queryRunner.dropIndex('authnest_access_tokens', 'authnest_access_tokens_sid_idx');
    await queryRunner.dropColumns('authnest_access_tokens', ['claims', 'sid']);
    await queryRunner.dropIndex('authnest_refresh_tokens', 'authnest_refresh_tokens_sid_idx');
    await queryRunner.dropColumns('authnest_refresh_tokens', ['claims', 'amr', 'acr', 'sid']);
    await queryRunner.dropColumns('authnest_authorization_codes', ['claims', 'amr', 'acr', 'sid']);
    await queryRunner.dropIndex('authnest_sessions', 'authnest_sessions_sid_uq');
    await queryRunner.dropColumns('authnest_sessions', ['amr', 'acr', 'sid']);
    await queryRunner.dropColumns('authnest_clients', [
      'sector_identifier',
      'subject_type',
      'backchannel_logout_uri',
      'post_logout_redirect_uris',
    ]);
  }
}
