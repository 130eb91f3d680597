import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, bool, primary, text, varchar } from './migration-columns.js';

const index = (table: string, suffix: string, columns: string[], isUnique = false) =>
  new TableIndex({ name: `${table}_${suffix}`, columnNames: columns, isUnique });

/** Authorization codes, refresh tokens, sessions, consents, interactions, rate limits; token grant links. */
export class AuthnestBrowserFlows1763990000000 implements MigrationInterface {
  name = 'AuthnestBrowserFlows1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('authnest_clients', [new TableColumn(bool('first_party')), new TableColumn(bool('allow_introspection'))]);
    await queryRunner.addColumns('authnest_access_tokens', [
      new TableColumn({ ...varchar('format', 16), default: "'opaque'" }),
      new TableColumn(varchar('grant_id', 64, true)),
    ]);
    await queryRunner.createIndex('authnest_access_tokens', index('authnest_access_tokens', 'grant_idx', ['grant_id']));
    await queryRunner.createTable(
      new Table({
        name: 'authnest_authorization_codes',
        columns: [
          primary(varchar('id', 64)),
          varchar('code_hash', 64),
          varchar('client_id', 255),
          varchar('account_id', 255),
          text('redirect_uri'),
          { name: 'redirect_uri_sent', type: 'boolean' },
          text('scopes'),
          varchar('code_challenge', 128, true),
          varchar('code_challenge_method', 8, true),
          text('nonce', true),
          bigint('auth_time'),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('consumed_at', true),
        ],
        indices: [
          index('authnest_authorization_codes', 'hash_uq', ['code_hash'], true),
          index('authnest_authorization_codes', 'expires_idx', ['expires_at']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_refresh_tokens',
        columns: [
          primary(varchar('id', 64)),
          varchar('token_hash', 64),
          varchar('grant_id', 64),
          varchar('client_id', 255),
          varchar('account_id', 255),
          text('scopes'),
          bigint('auth_time'),
          bigint('issued_at'),
          bigint('expires_at'),
          bigint('grant_expires_at'),
          bigint('rotated_at', true),
          bigint('revoked_at', true),
        ],
        indices: [
          index('authnest_refresh_tokens', 'hash_uq', ['token_hash'], true),
          index('authnest_refresh_tokens', 'grant_idx', ['grant_id']),
          index('authnest_refresh_tokens', 'expires_idx', ['expires_at']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_sessions',
        columns: [primary(varchar('token_hash', 64)), varchar('account_id', 255), bigint('auth_time'), bigint('expires_at')],
        indices: [index('authnest_sessions', 'expires_idx', ['expires_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_consents',
        columns: [primary(varchar('id', 64)), varchar('account_id', 255), varchar('client_id', 255), text('scopes'), bigint('updated_at')],
        indices: [index('authnest_consents', 'account_client_uq', ['account_id', 'client_id'], true)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_interactions',
        columns: [
          primary(varchar('id_hash', 64)),
          varchar('client_id', 255),
          text('request'),
          varchar('account_id', 255, true),
          bigint('auth_time', true),
          varchar('csrf_token', 64),
          bigint('expires_at'),
          bigint('completed_at', true),
        ],
        indices: [index('authnest_interactions', 'expires_idx', ['expires_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'authnest_rate_limits',
        columns: [primary(varchar('key', 128)), { name: 'count', type: 'integer' }, bigint('window_start')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['rate_limits', 'interactions', 'consents', 'sessions', 'refresh_tokens', 'authorization_codes']) {
      await queryRunner.dropTable(`authnest_${table}`);
    }
    await queryRunner.dropIndex('authnest_access_tokens', 'authnest_access_tokens_grant_idx');
    await queryRunner.dropColumns('authnest_access_tokens', ['grant_id', 'format']);
    await queryRunner.dropColumns('authnest_clients', ['allow_introspection', 'first_party']);
  }
}
