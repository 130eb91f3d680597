import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, MigrationExecutor, type DataSourceOptions, type QueryRunner } from 'typeorm';
import type { MigrationsMode } from '../options/auth-options.interface.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import type { ResolvedDatabase } from '../options/resolved-options.js';
import { authnestEntities } from './entities/index.js';
import { authnestMigrations } from './migrations/index.js';
import { prepareSqliteConnection } from './sqlite-tuning.js';

/** Name of authnest's migrations table (kept apart from the host's). */
export const MIGRATIONS_TABLE = 'authnest_migrations';

/** TypeORM options for the embedded SQLite file or PostgreSQL, with authnest's entities and migrations. */
export function buildDataSourceOptions(database: Exclude<ResolvedDatabase, { kind: 'existing' }>): DataSourceOptions {
  const common = { entities: authnestEntities, migrations: authnestMigrations, migrationsTableName: MIGRATIONS_TABLE, logging: false };
  if (database.kind === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, schema: database.schema, extra: { max: database.poolSize } };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    enableWAL: database.path !== ':memory:',
    prepareDatabase: prepareSqliteConnection,
  };
}

const SCHEMA_LOCK = "hashtext('authnest:migrations')";

/**
 * Runs `work` on one connection holding a PostgreSQL session advisory lock, so instances booting at once on
 * one database change its schema one after the other (TypeORM's migrations do not lock). SQLite: no lock.
 */
async function withSchemaLock<T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const postgres = dataSource.options.type === 'postgres';
  const runner = dataSource.createQueryRunner();
  try {
    if (postgres) await runner.query(`SELECT pg_advisory_lock(${SCHEMA_LOCK})`);
    return await work(runner);
  } finally {
    if (postgres) await runner.query(`SELECT pg_advisory_unlock(${SCHEMA_LOCK})`).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Runs the pending migrations (`run`) or refuses when one is pending (`check`). Resolves the names of those that ran.
 * Every migration of the DataSource counts, the host's too: a host that owns its DataSource calls
 * `applyMigrations(dataSource, 'run')` instead of `dataSource.runMigrations()`, so instances booting at once on one
 * PostgreSQL database migrate one after the other (under a session advisory lock) instead of colliding.
 */
export function applyMigrations(dataSource: DataSource, mode: MigrationsMode): Promise<string[]> {
  return withSchemaLock(dataSource, async (runner) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    if (mode === 'run') return (await executor.executePendingMigrations()).map((migration) => migration.name);
    if (await executor.showMigrations()) {
      throw new AuthConfigError(['database.migrations: migrations are pending; run `npx authnest migrate` or set migrations: "run"']);
    }
    return [];
  });
}

/** What a host-owned DataSource lacks of authnest's entities and migrations. */
function missingFromHostDataSource(dataSource: DataSource): string[] {
  const listed = new Set(dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name));
  return [
    ...(authnestEntities.every((entity) => dataSource.hasMetadata(entity)) ? [] : ['add `authnestEntities` to its entities']),
    ...(authnestMigrations.every((migration) => listed.has(new migration().name)) ? [] : ['add `authnestMigrations` to its migrations']),
  ];
}

/** Opens (or adopts) the DataSource and brings its schema up to date. `owned` says whether authnest must close it. */
export async function openDataSource(database: ResolvedDatabase): Promise<{ dataSource: DataSource; owned: boolean }> {
  if (database.kind === 'existing') {
    const { dataSource } = database;
    if (!dataSource.isInitialized) await dataSource.initialize();
    const missing = missingFromHostDataSource(dataSource);
    if (missing.length > 0) throw new AuthConfigError(missing.map((problem) => `database.dataSource: ${problem}`));
    await applyMigrations(dataSource, database.migrations);
    return { dataSource, owned: false };
  }
  if (database.kind === 'sqlite' && database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  if (database.kind === 'postgres' && database.schema) await ensurePostgresSchema(database.url, database.schema);
  const dataSource = new DataSource(buildDataSourceOptions(database));
  await dataSource.initialize();
  try {
    await applyMigrations(dataSource, database.migrations);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return { dataSource, owned: true };
}

/** Creates the schema (a validated identifier) unless it exists, under the schema lock (concurrent CREATEs collide). */
export async function ensurePostgresSchema(url: string, schema: string): Promise<void> {
  const bootstrap = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await bootstrap.initialize();
  try {
    await withSchemaLock(bootstrap, (runner) => runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  } finally {
    await bootstrap.destroy();
  }
}
