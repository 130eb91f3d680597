import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, BearerAuthGuard, type AuthDatabaseOptions, type AuthModuleOptions, type ClientSeed } from 'authnest';
import { PostsController } from './posts.controller.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** PostgreSQL (a schema of its own) when HOST_DATABASE_URL is set, else the SQLite file HOST_SQLITE_PATH. */
function hostDatabase(): AuthDatabaseOptions {
  const url = process.env.HOST_DATABASE_URL;
  if (url) return { type: 'postgres', url, schema: required('HOST_DATABASE_SCHEMA'), poolSize: 2 };
  return { type: 'sqlite', path: required('HOST_SQLITE_PATH') };
}

/** The one client the package check asks tokens for (its secret comes from the runner). */
const checkClient: ClientSeed = {
  clientId: 'package-check',
  clientSecret: required('HOST_CLIENT_SECRET'),
  grantTypes: ['client_credentials'],
  scopes: ['posts:read', 'profile'],
};

/** Typed options, as a user would write them: a consumer of authnest's declarations. */
export const authOptions: AuthModuleOptions = {
  issuer: 'http://127.0.0.1',
  database: hostDatabase(),
  scopes: ['posts:read', 'profile'],
  clients: [checkClient],
  accessToken: { format: 'jwt', ttl: 300 },
  signing: { encryptionSecret: required('HOST_ENCRYPTION_SECRET') },
  purgeInterval: 0,
};

/** A fresh Nest app's root module: authnest's server plus the global bearer guard. */
@Module({
  imports: [AuthModule.forRoot(authOptions)],
  controllers: [PostsController],
  providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
})
export class AppModule {}
