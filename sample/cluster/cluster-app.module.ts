import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, BearerAuthGuard, type AuthModuleOptions } from 'authnest';
import { DataSource } from 'typeorm';
import { MeController } from '../api/me.controller.js';
import { PostsController } from '../api/posts.controller.js';
import { DEMO_API, DEMO_CLIENT, DEMO_DEVICE, DEMO_SPA, ISSUER, SAMPLE_SCOPES } from '../sample.config.js';
import { SampleDatabaseModule } from '../sample-database.module.js';
import { SampleUsersModule } from '../users/sample-users.module.js';

/** A whole number of seconds from the environment, or the fallback. */
function seconds(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number of seconds`);
  return Number(value);
}

/**
 * The sample's server as one of several instances behind a load balancer: the sample's clients, users, API and
 * database (PostgreSQL through DATABASE_URL, or a SQLite file in WAL mode through SAMPLE_DB), plus what only matters
 * when instances share the work: DPoP with server nonces (a proof is used once across every instance), open dynamic
 * registration (clients with `private_key_jwt`, whose assertions are used once across every instance), and a shared
 * Redis when REDIS_URL is set. SAMPLE_REUSE_GRACE sets `refreshToken.reuseGrace` (seconds, default 10).
 * DEMO ONLY, like the sample: open registration lets anyone create clients.
 */
export function clusterAuthOptions(dataSource: DataSource): AuthModuleOptions {
  return {
    issuer: ISSUER,
    database: { dataSource },
    scopes: SAMPLE_SCOPES,
    clients: [DEMO_CLIENT, DEMO_SPA, DEMO_DEVICE, DEMO_API],
    signing: { encryptionSecret: process.env.AUTHNEST_ENCRYPTION_SECRET, secretFile: 'data/.authnest/secret.key' },
    refreshToken: { reuseGrace: seconds('SAMPLE_REUSE_GRACE', 10) },
    dpop: { requireNonce: true },
    registration: {
      mode: 'open',
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      allowedScopes: ['profile', 'posts:read'],
    },
    ...(process.env.REDIS_URL ? { redis: { url: process.env.REDIS_URL } } : {}),
  };
}

@Module({
  imports: [
    SampleDatabaseModule,
    SampleUsersModule,
    AuthModule.forRootAsync({ inject: [DataSource], useFactory: clusterAuthOptions }),
  ],
  controllers: [MeController, PostsController],
  providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
})
export class ClusterAppModule {}
