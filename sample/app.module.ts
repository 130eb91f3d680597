import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ACCOUNT_SERVICE, AuthModule, BearerAuthGuard } from 'authnest';
import { DataSource } from 'typeorm';
import { MeController } from './api/me.controller.js';
import { PostsController } from './api/posts.controller.js';
import { DEMO_CLIENT, ISSUER, SAMPLE_SCOPES } from './sample.config.js';
import { SampleDatabaseModule } from './sample-database.module.js';
import { SampleAccountService } from './users/sample-account.service.js';

@Module({
  imports: [
    SampleDatabaseModule,
    AuthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        issuer: ISSUER,
        database: { dataSource },
        scopes: SAMPLE_SCOPES,
        clients: [DEMO_CLIENT],
        signing: { encryptionSecret: process.env.AUTHNEST_ENCRYPTION_SECRET, secretFile: 'data/.authnest/secret.key' },
      }),
    }),
  ],
  controllers: [MeController, PostsController],
  providers: [
    SampleAccountService,
    { provide: ACCOUNT_SERVICE, useExisting: SampleAccountService },
    // Every route needs a bearer token unless it is @Public(); @RequireScope adds the scope check.
    { provide: APP_GUARD, useExisting: BearerAuthGuard },
  ],
})
export class AppModule {}
