import { MigrationExecutor, type DataSource } from 'typeorm';

/** Applied and pending migrations of a DataSource (authnest's, and a host DataSource's own). */
export interface MigrationNames {
  applied: string[];
  pending: string[];
}

/** Reads which of the DataSource's migrations ran and which are pending, changing nothing. */
export async function readMigrationNames(dataSource: DataSource): Promise<MigrationNames> {
  const runner = dataSource.createQueryRunner();
  try {
    const executor = new MigrationExecutor(dataSource, runner);
    const applied = (await executor.getExecutedMigrations()).map((migration) => migration.name);
    const pending = (await executor.getPendingMigrations()).map((migration) => migration.name);
    return { applied, pending };
  } finally {
    await runner.release();
  }
}
