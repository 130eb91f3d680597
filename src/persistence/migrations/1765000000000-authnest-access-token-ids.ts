import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'authnest_access_tokens';
const HASH_INDEX = new TableIndex({ name: 'authnest_access_tokens_hash_uq', columnNames: ['token_hash'], isUnique: true });
const GRANT_INDEX = 'authnest_access_tokens_grant_idx';
const SID_INDEX = 'authnest_access_tokens_sid_idx';

/**
 * Access tokens are found by the id they carry (an opaque token's prefix, a JWT's `jti`), then checked against the
 * stored hash: the unique index on `token_hash` goes (a random key: every insert wrote a page of it), and the grant
 * and session indexes keep only rows that have a grant or session (client_credentials tokens have neither). Opaque
 * tokens issued before this migration carry no id and are no longer recognised (they live `accessToken.ttl`).
 */
export class AuthnestAccessTokenIds1765000000000 implements MigrationInterface {
  name = 'AuthnestAccessTokenIds1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(TABLE, HASH_INDEX.name!);
    await queryRunner.dropIndex(TABLE, GRANT_INDEX);
    await queryRunner.dropIndex(TABLE, SID_INDEX);
    await queryRunner.createIndex(TABLE, new TableIndex({ name: GRANT_INDEX, columnNames: ['grant_id'], where: '"grant_id" IS NOT NULL' }));
    await queryRunner.createIndex(TABLE, new TableIndex({ name: SID_INDEX, columnNames: ['sid'], where: '"sid" IS NOT NULL' }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(TABLE, SID_INDEX);
    await queryRunner.dropIndex(TABLE, GRANT_INDEX);
    await queryRunner.createIndex(TABLE, new TableIndex({ name: SID_INDEX, columnNames: ['sid'] }));
    await queryRunner.createIndex(TABLE, new TableIndex({ name: GRANT_INDEX, columnNames: ['grant_id'] }));
    await queryRunner.createIndex(TABLE, HASH_INDEX);
  }
}
