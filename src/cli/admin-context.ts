import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuthAdminService } from '../admin/auth-admin.service.js';
import { UNKNOWN_SERVER_SETTINGS, type ServerSetting } from '../admin/server-settings.js';
import { AuthModule } from '../auth.module.js';
import { Clock } from '../internal/clock.js';
import type { AuthModuleOptions, SigningAlgorithm } from '../options/auth-options.interface.js';
import { buildDataSourceOptions, ensurePostgresSchema } from '../persistence/data-source.factory.js';
import { readMigrationNames } from '../persistence/migration-status.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { CliError } from './cli-settings.js';
import type { DatabaseTarget } from './database-target.js';

/** What a command works with: the app's own admin service, on the app's own services. */
export interface AdminContext {
  admin: AuthAdminService;
  close(): Promise<void>;
}

const ALGORITHMS: readonly string[] = ['ES256', 'RS256', 'EdDSA'];

/** Opens the target's DataSource for `work`, then closes it (the preflight and `migrate` use their own). */
export async function withDataSource<T>(target: DatabaseTarget, work: (dataSource: DataSource) => Promise<T>, create = false): Promise<T> {
  if (!create && target.kind === 'sqlite' && !existsSync(target.path)) throw new CliError(`no database file ${target.path}`);
  if (create && target.kind === 'sqlite' && target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  if (create && target.kind === 'postgres' && target.schema) await ensurePostgresSchema(target.url, target.schema);
  const dataSource = new DataSource({ ...buildDataSourceOptions(target), extra: target.kind === 'postgres' ? { max: 1 } : undefined });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Before booting: the database exists, its migrations are not behind (else exit 1, nothing touched), and which
 * algorithm its newest live key has (the CLI's `signing.algorithm` when the config names none).
 */
export function preflight(target: DatabaseTarget): Promise<SigningAlgorithm | undefined> {
  return withDataSource(target, async (dataSource) => {
    const { pending } = await readMigrationNames(dataSource);
    if (pending.length > 0) throw new CliError(`its migrations are behind: run \`authnest migrate\` first (pending: ${pending.join(', ')})`);
    const live = (await new SigningKeyStore({ dataSource, owned: false }).findAll()).filter((key) => key.status === 'active');
    const alg = live.at(-1)?.alg;
    return alg !== undefined && ALGORITHMS.includes(alg) ? (alg as SigningAlgorithm) : undefined;
  });
}

/**
 * Boots `AuthModule` with `options` in a Nest application context (no HTTP server, no logs), the same services an app
 * instance runs: the CLI and `AuthAdminService` share one code path. `unknown`: server settings the config does not
 * give (client metadata is not checked against them); `clock` replaces authnest's Clock (tests).
 */
export async function openAdminContext(options: AuthModuleOptions, unknown: ReadonlySet<ServerSetting>, clock?: Clock): Promise<AdminContext> {
  const auth: DynamicModule = AuthModule.forRoot(options);
  // Providers of the dynamic module are registered after the module's own: this Clock replaces authnest's.
  const overrides: Provider[] = [{ provide: UNKNOWN_SERVER_SETTINGS, useValue: unknown }, ...(clock ? [{ provide: Clock, useValue: clock }] : [])];
  const authModule: DynamicModule = { ...auth, providers: [...(auth.providers ?? []), ...overrides] };
  @Module({ imports: [authModule] })
  class AuthnestCliModule {}
  const app = await NestFactory.createApplicationContext(AuthnestCliModule, { logger: false, abortOnError: false });
  return { admin: app.get(AuthAdminService), close: () => app.close() };
}
