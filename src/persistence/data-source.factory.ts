import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AuthConfigError } from '../options/auth-config.error.js';
import type { ResolvedDatabase } from '../options/resolved-options.js';
import { authnestEntities, ClientEntity } from './entities/index.js';
import { authnestMigrations } from './migrations/index.js';

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
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  };
}

async function applyMigrations(dataSource: DataSource, mode: 'run' | 'check'): Promise<void> {
  if (mode === 'run') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  if (await dataSource.showMigrations()) {
    throw new AuthConfigError(['database.migrations: migrations are pending; run `npx authnest migrate` or set migrations: "run"']);
  }
}

/** Opens (or adopts) the DataSource and brings its schema up to date. `owned` says whether authnest must close it. */
export async function openDataSource(database: ResolvedDatabase): Promise<{ dataSource: DataSource; owned: boolean }> {
  if (database.kind === 'existing') {
    const { dataSource } = database;
    if (!dataSource.isInitialized) await dataSource.initialize();
    if (!dataSource.hasMetadata(ClientEntity)) {
      throw new AuthConfigError(['database.dataSource: add `authnestEntities` to its entities and `authnestMigrations` to its migrations']);
    }
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

async function ensurePostgresSchema(url: string, schema: string): Promise<void> {
  const bootstrap = new DataSource({ type: 'postgres', url });
  await bootstrap.initialize();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await bootstrap.destroy();
  }
}
