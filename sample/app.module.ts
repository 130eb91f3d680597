import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, BearerAuthGuard } from 'authnest';
import { DataSource } from 'typeorm';
import { MeController } from './api/me.controller.js';
import { PostsController } from './api/posts.controller.js';
import { DEMO_API, DEMO_CLIENT, DEMO_DEVICE, DEMO_SPA, ISSUER, SAMPLE_SCOPES } from './sample.config.js';
import { SampleDatabaseModule } from './sample-database.module.js';
import { SampleUsersModule } from './users/sample-users.module.js';

@Module({
  imports: [
    SampleDatabaseModule,
    SampleUsersModule,
    AuthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        issuer: ISSUER,
        database: { dataSource },
        scopes: SAMPLE_SCOPES,
        clients: [DEMO_CLIENT, DEMO_SPA, DEMO_DEVICE, DEMO_API],
        signing: { encryptionSecret: process.env.AUTHNEST_ENCRYPTION_SECRET, secretFile: 'data/.authnest/secret.key' },
        // Several instances on one PostgreSQL: a shared Redis for replay checks and rate limits (optional).
        ...(process.env.REDIS_URL ? { redis: { url: process.env.REDIS_URL } } : {}),
      }),
    }),
  ],
  controllers: [MeController, PostsController],
  providers: [
    // Every route needs a bearer token unless it is @Public(); @RequireScope adds the scope check.
    { provide: APP_GUARD, useExisting: BearerAuthGuard },
  ],
})
export class AppModule {}
