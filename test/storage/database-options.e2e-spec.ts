import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryColumn, Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ensurePostgresSchema } from '../../src/persistence/data-source.factory.js';
import {
  AuthModule,
  authnestEntities,
  authnestMigrations,
  ClientEntity,
  SigningKeyEntity,
  type AuthDatabaseOptions,
  type AuthModuleOptions,
} from '../../src/index.js';
import { runMigrateCli } from '../../src/cli/migrate.js';
import { authnestDataSource, getMe, issueToken, MeController } from '../support/app-helpers.js';
import { testMatrix, type Database } from '../support/matrix.js';
import { bootTestApp, freshDatabase, TEST_ISSUER, TEST_SECRET, type TestApp } from '../support/test-app.js';

/** A table of the host app, next to authnest's in the host's DataSource. */
@Entity({ name: 'host_notes' })
class HostNote {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  text: string;
}

class HostNotes1700000000001 implements MigrationInterface {
  name = 'HostNotes1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'host_notes', columns: [{ name: 'id', type: 'varchar', length: '36', isPrimary: true }, { name: 'text', type: 'varchar', length: '255' }] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('host_notes');
  }
}

const CLIENT = { clientId: 'svc', clientSecret: 'svc-secret-123' };
const silent = { log: () => undefined, error: () => undefined };

function options(database: AuthDatabaseOptions | undefined): AuthModuleOptions {
  return { issuer: TEST_ISSUER, database, signing: { encryptionSecret: TEST_SECRET }, purgeInterval: 0, clients: [CLIENT] };
}

/** The CLI arguments that migrate the fresh database. */
function cliArgs(database: AuthDatabaseOptions): string[] {
  if ('dataSource' in database) throw new Error('not a CLI target');
  if (database.type === 'sqlite') return ['migrate', '--sqlite', database.path!];
  return ['migrate', '--url', database.url, '--schema', database.schema!];
}

/** A DataSource owned by the host, on the fresh database. */
async function hostDataSource(database: AuthDatabaseOptions, listing: { entities: Function[]; migrations: Function[] }): Promise<DataSource> {
  if ('dataSource' in database) throw new Error('expected a fresh database');
  const dataSource =
    database.type === 'postgres'
      ? new DataSource({ type: 'postgres', url: database.url, schema: database.schema, ...listing })
      : new DataSource({ type: 'better-sqlite3', database: database.path!, ...listing });
  if (database.type === 'postgres') await ensurePostgresSchema(database.url, database.schema!);
  return dataSource.initialize();
}

describe.each(testMatrix())('database options on %s/%s', (platform, db: Database) => {
  let t: TestApp | undefined;
  let cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  function fresh(): AuthDatabaseOptions {
    const created = freshDatabase(db);
    cleanup.push(created.drop);
    return created.database;
  }

  it.runIf(db === 'sqlite')('defaults to authnest.sqlite in the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authnest-cwd-'));
    const previous = process.cwd();
    process.chdir(dir);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => process.chdir(previous));
    const authModule = AuthModule.forRoot(options(undefined));
    t = await bootTestApp({ platform, db, database: { type: 'sqlite', path: join(dir, 'unused') }, authModule, controllers: [MeController] });
    expect(existsSync(join(dir, 'authnest.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'unused'))).toBe(false);
    expect(authnestDataSource(t.app).options.database).toBe('authnest.sqlite');
    expect((await getMe(t.url, await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret))).status).toBe(200);
  });

  it("adopts a host-owned DataSource listing authnestEntities and authnestMigrations (migrations: 'run'), and leaves it open at shutdown", async () => {
    const database = fresh();
    const host = await hostDataSource(database, { entities: [...authnestEntities], migrations: [...authnestMigrations] });
    cleanup.push(() => host.destroy());
    const authModule = AuthModule.forRoot(options({ dataSource: host, migrations: 'run' }));
    t = await bootTestApp({ platform, db, database, authModule, controllers: [MeController] });
    expect(authnestDataSource(t.app)).toBe(host);
    expect((await getMe(t.url, await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret))).status).toBe(200);
    expect(await host.getRepository(ClientEntity).countBy({ clientId: 'svc' })).toBe(1);
    await t.close();
    t = undefined;
    expect(host.isInitialized).toBe(true);
    expect(await host.getRepository(SigningKeyEntity).count()).toBe(1);
  });

  it('closes the DataSource it opened itself at shutdown', async () => {
    t = await bootTestApp({ platform, db, database: fresh(), options: { clients: [CLIENT] } });
    const own = authnestDataSource(t.app);
    expect(own.isInitialized).toBe(true);
    await t.app.close();
    expect(own.isInitialized).toBe(false);
  });

  it.each([
    ['entities', { entities: [HostNote], migrations: [...authnestMigrations] }, 'database.dataSource: add `authnestEntities` to its entities'],
    ['migrations', { entities: [...authnestEntities], migrations: [HostNotes1700000000001] }, 'database.dataSource: add `authnestMigrations` to its migrations'],
  ])('refuses a host DataSource that does not list authnest %s', async (_what, listing, message) => {
    const database = fresh();
    const host = await hostDataSource(database, listing);
    cleanup.push(() => host.destroy());
    const failure = await bootTestApp({ platform, db, database, authModule: AuthModule.forRoot(options({ dataSource: host })) }).catch(
      (error: unknown) => error,
    );
    expect(String(failure)).toContain(message);
    expect(host.isInitialized).toBe(true);
  });

  it("migrations: 'check' refuses an empty database and boots once migrations ran", async () => {
    const database = fresh();
    const checked = { ...database, migrations: 'check' } as AuthDatabaseOptions;
    await expect(bootTestApp({ platform, db, database, authModule: AuthModule.forRoot(options(checked)) })).rejects.toThrow(
      /database\.migrations: migrations are pending/,
    );
    expect(await runMigrateCli(cliArgs(database), silent)).toBe(0);
    t = await bootTestApp({ platform, db, database, authModule: AuthModule.forRoot(options(checked)), controllers: [MeController] });
    expect((await getMe(t.url, await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret))).status).toBe(200);
  });

  it("a host DataSource defaults to migrations: 'check': refuses pending migrations and runs none", async () => {
    const database = fresh();
    const host = await hostDataSource(database, { entities: [...authnestEntities], migrations: [...authnestMigrations] });
    cleanup.push(() => host.destroy());
    const authModule = AuthModule.forRoot(options({ dataSource: host }));
    await expect(bootTestApp({ platform, db, database, authModule })).rejects.toThrow(/migrations are pending/);
    const runner = host.createQueryRunner();
    expect(await runner.hasTable('authnest_clients')).toBe(false);
    await runner.release();
    await host.runMigrations();
    t = await bootTestApp({ platform, db, database, authModule: AuthModule.forRoot(options({ dataSource: host, migrations: 'check' })) });
    expect(await host.getRepository(ClientEntity).countBy({ clientId: 'svc' })).toBe(1);
  });
});
