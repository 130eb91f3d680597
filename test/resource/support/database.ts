import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type AuthDatabaseOptions } from '../../../src/index.js';

/**
 * A second TypeORM connection to a test app's database (the SQLite file or the PostgreSQL schema), for
 * grey-box checks and for changing rows behind the app's back. Close it with `destroy()`.
 */
export async function openDatabase(database: AuthDatabaseOptions): Promise<DataSource> {
  if ('dataSource' in database) return database.dataSource;
  const options =
    database.type === 'postgres'
      ? buildDataSourceOptions({ kind: 'postgres', url: database.url, schema: database.schema, poolSize: 2, migrations: 'check' })
      : buildDataSourceOptions({ kind: 'sqlite', path: database.path ?? 'authnest.sqlite', migrations: 'check' });
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  return dataSource;
}
