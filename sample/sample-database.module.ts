import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { applyMigrations, authnestEntities, authnestMigrations, MIGRATIONS_TABLE, prepareSqliteConnection } from 'authnest';
import { DataSource } from 'typeorm';
import { sampleAuthnestConfig } from './sample-authnest-config.js';
import { CreateSampleUsers1763900000100 } from './users/create-sample-users.migration.js';
import { UserEntity } from './users/user.entity.js';

/**
 * One TypeORM DataSource for the app's tables and authnest's, migrated at boot: the database of `sampleAuthnestConfig()`
 * (the same the admin CLI reads): a SQLite file (data/authnest-sample.sqlite by default) or PostgreSQL.
 */
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
        const { database } = await sampleAuthnestConfig();
        const dataSource =
          database?.type === 'postgres'
            ? new DataSource({ ...common, type: 'postgres', url: database.url, schema: database.schema })
            : new DataSource({
              ...common,
              type: 'better-sqlite3',
              database: database?.path ?? 'authnest.sqlite',
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
