import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, BearerAuthGuard } from 'authnest';
import { DataSource } from 'typeorm';
import { MeController } from './api/me.controller.js';
import { PostsController } from './api/posts.controller.js';
import { DEMO_API, DEMO_CLIENT, DEMO_DEVICE, DEMO_SPA, ISSUER, SAMPLE_SCOPES } from './sample.config.js';
import { SampleDatabaseModule } from './sample-database.module.js';
import { sampleAuthnestConfig, sampleSecretFile } from './sample-authnest-config.js';
import { SampleUsersModule } from './users/sample-users.module.js';

@Module({
  imports: [
    SampleDatabaseModule,
    SampleUsersModule,
    AuthModule.forRootAsync({
      inject: [DataSource],
      useFactory: async (dataSource: DataSource) => ({
        issuer: ISSUER,
        database: { dataSource },
        scopes: SAMPLE_SCOPES,
        clients: [DEMO_CLIENT, DEMO_SPA, DEMO_DEVICE, DEMO_API],
        // The secret the admin CLI reads too: AUTHNEST_ENCRYPTION_SECRET (or AUTHNEST_CONFIG's), else a development file.
        signing: { encryptionSecret: (await sampleAuthnestConfig()).encryptionSecret, secretFile: sampleSecretFile(await sampleAuthnestConfig()) },
        // Several instances on one PostgreSQL: a shared Redis for replay checks and rate limits (optional).
        ...(process.env.REDIS_URL ? { redis: { url: process.env.REDIS_URL } } : {}),
        // X-Request-Id on every response, in authnest's log lines and events (off by default: it costs on Node 20).
        requestIds: { enabled: true },
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
