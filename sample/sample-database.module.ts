import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { applyMigrations, authnestEntities, authnestMigrations, MIGRATIONS_TABLE, prepareSqliteConnection } from 'authnest';
import { DataSource } from 'typeorm';
import { CreateSampleUsers1763900000100 } from './users/create-sample-users.migration.js';
import { UserEntity } from './users/user.entity.js';

/** The sample's own SQLite file (SAMPLE_DB overrides the path), shared with authnest. */
export const SAMPLE_DB_PATH = process.env.SAMPLE_DB ?? 'data/authnest-sample.sqlite';

/** One TypeORM DataSource for the app's tables and authnest's (PostgreSQL when DATABASE_URL is set), migrated at boot. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: async () => {
        const common = {
          entities: [...authnestEntities, UserEntity],
          migrations: [...authnestMigrations, CreateSampleUsers1763900000100],
          migrationsTableName: MIGRATIONS_TABLE,
        };
        const dataSource = process.env.DATABASE_URL
          ? new DataSource({ ...common, type: 'postgres', url: process.env.DATABASE_URL })
          : new DataSource({
              ...common,
              type: 'better-sqlite3',
              database: SAMPLE_DB_PATH,
              enableWAL: true,
              // synchronous = NORMAL and a larger WAL between checkpoints: see prepareSqliteConnection's notes.
              prepareDatabase: prepareSqliteConnection,
            });
        await dataSource.initialize();
        // Under authnest's schema lock: instances booting at once on one PostgreSQL database migrate in turn.
        await applyMigrations(dataSource, 'run');
        return dataSource;
      },
    },
  ],
  exports: [DataSource],
})
export class SampleDatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
