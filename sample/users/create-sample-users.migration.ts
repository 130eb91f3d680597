import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The sample app's own migration, run beside authnest's. */
export class CreateSampleUsers1763900000100 implements MigrationInterface {
  name = 'CreateSampleUsers1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sample_users',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'username', type: 'varchar', length: '255', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'email', type: 'varchar', length: '255' },
          { name: 'active', type: 'boolean', default: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sample_users');
  }
}
