import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, BearerAuthGuard } from 'authnest';
import { DataSource } from 'typeorm';
import { SampleDatabaseModule } from '../../sample/sample-database.module.js';
import { SampleUsersModule } from '../../sample/users/sample-users.module.js';
import { BENCH_JWT_CLIENT, BENCH_OPAQUE_CLIENT, BENCH_SCOPES, BENCH_WEB_CLIENT } from './bench-clients.js';
import { BenchController } from './bench.controller.js';
import type { BenchSettings } from './bench-settings.js';

/**
 * The sample's server (its database module, users and global bearer guard) with the benchmark's clients and routes.
 * What differs from the defaults is what a benchmark needs: login limits out of the way of one address logging in
 * thousands of times, and the settings the runner varies.
 */
@Module({})
export class BenchAppModule {
  static register(settings: BenchSettings): DynamicModule {
    const issuer = `http://127.0.0.1:${settings.port}`;
    return {
      module: BenchAppModule,
      imports: [
        SampleDatabaseModule,
        SampleUsersModule,
        AuthModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            issuer,
            database: { dataSource },
            scopes: BENCH_SCOPES,
            clients: [BENCH_OPAQUE_CLIENT, BENCH_JWT_CLIENT, BENCH_WEB_CLIENT],
            signing: { algorithm: settings.signingAlgorithm, encryptionSecret: 'bench-encryption-secret-0123456789abcdef' },
            accessToken: { ttl: settings.accessTokenTtl },
            purgeInterval: settings.purgeInterval,
            resource: { opaqueCacheTtl: settings.opaqueCacheTtl },
            clientCacheTtl: settings.clientCacheTtl,
            fastPath: settings.fastPath,
            loginRateLimit: { perAccount: { max: 100_000, window: 1 }, perAddress: { max: 100_000, window: 1 } },
          }),
        }),
      ],
      controllers: [BenchController],
      providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
    };
  }
}
