import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text } from './migration-columns.js';

/**
 * Resource indicators (RFC 8707) in the device flow: the resources a device authorization request named (a JSON
 * list). Its own migration, touching only `authnest_device_codes`, so that table's migrations can be replayed alone.
 */
export class AuthnestDeviceResources1764700000001 implements MigrationInterface {
  name = 'AuthnestDeviceResources1764700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('authnest_device_codes', new TableColumn(text('resources', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('authnest_device_codes', 'resources');
  }
}
