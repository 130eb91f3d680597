import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplication, type ModuleMetadata, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuthModule, Clock, type AuthDatabaseOptions, type AuthModuleOptions } from '../../src/index.js';
import type { Database, Platform } from './matrix.js';

export interface TestApp {
  app: INestApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  issuer: string;
  database: AuthDatabaseOptions;
  /** Closes the app and removes its database. */
  close(): Promise<void>;
}

export interface TestAppSpec extends Pick<ModuleMetadata, 'controllers' | 'providers' | 'imports'> {
  platform: Platform;
  db: Database;
  /** Options besides issuer and database (issuer defaults to the app's own URL is not possible before listen). */
  options?: Partial<AuthModuleOptions>;
  /** Keep using this database (restart scenarios). */
  database?: AuthDatabaseOptions;
  /** Use this module instead of AuthModule.forRoot(...). */
  authModule?: DynamicModule;
  /** Replaces authnest's Clock (see FakeClock) to move time in tests. */
  clock?: Clock;
  /** Runs on the app before it listens (e.g. `app.setGlobalPrefix(...)`). */
  beforeListen?: (app: INestApplication) => void | Promise<void>;
}

/** A Clock the test moves by hand. */
export class FakeClock extends Clock {
  constructor(private current = Date.now()) {
    super();
  }
  override now(): number {
    return this.current;
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

export const TEST_ISSUER = 'http://127.0.0.1';
export const TEST_SECRET = 'test-encryption-secret-0123456789abcdef';

/** A fresh database for one app: a temp SQLite file, or a new schema in TEST_DATABASE_URL. */
export function freshDatabase(db: Database): { database: AuthDatabaseOptions; drop(): Promise<void> } {
  if (db === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
    return {
      database: { type: 'postgres', url, schema, poolSize: 4 },
      drop: async () => {
        const ds = new DataSource({ type: 'postgres', url });
        await ds.initialize();
        await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await ds.destroy();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'authnest-test-'));
  return { database: { type: 'sqlite', path: join(dir, 'db.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Boots a real Nest app on 127.0.0.1 port 0 with AuthModule and the given controllers. */
export async function bootTestApp(spec: TestAppSpec): Promise<TestApp> {
  const fresh = spec.database ? undefined : freshDatabase(spec.db);
  const database = spec.database ?? fresh!.database;
  const authModule =
    spec.authModule ??
    AuthModule.forRoot({
      issuer: TEST_ISSUER,
      signing: { encryptionSecret: TEST_SECRET },
      purgeInterval: 0,
      // AUTHNEST_TEST_FAST_PATH=1 runs a suite again with the back-channel endpoints on the fast path (see .ci/run).
      ...(process.env.AUTHNEST_TEST_FAST_PATH === '1' ? { fastPath: true } : {}),
      // AUTHNEST_TEST_REDIS_URL=redis://... runs a suite again with the `redis` option (apps on one database share keys).
      ...(process.env.AUTHNEST_TEST_REDIS_URL ? { redis: { url: process.env.AUTHNEST_TEST_REDIS_URL, keyPrefix: `t${createHash('sha256').update('dataSource' in database ? String(Math.random()) : JSON.stringify(database)).digest('hex').slice(0, 12)}:` } } : {}),
      ...spec.options,
      database,
    } as AuthModuleOptions);
  @Module({ imports: [authModule, ...(spec.imports ?? [])], controllers: spec.controllers ?? [], providers: spec.providers ?? [] })
  class TestRootModule {}
  let builder = Test.createTestingModule({ imports: [TestRootModule] });
  if (spec.clock) builder = builder.overrideProvider(Clock).useValue(spec.clock);
  // A boot that fails (a test may expect it to) releases what it opened: the app, then the fresh database.
  const moduleRef = await builder.compile().catch(async (error: unknown) => {
    await fresh?.drop();
    throw error;
  });
  const app: INestApplication =
    spec.platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
      : moduleRef.createNestApplication({ logger: false });
  try {
    await spec.beforeListen?.(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    await fresh?.drop();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    // An issuer given in `options` (e.g. the URL of a proxy started first) is the one the app's tokens carry.
    issuer: spec.options?.issuer ?? TEST_ISSUER,
    database,
    close: async () => {
      await app.close();
      await fresh?.drop();
    },
  };
}

export type Controllers = Type[];

/**
 * Starts a compiled testing module (one the test built itself, e.g. with `overrideModule`) as an app on
 * 127.0.0.1 port 0, on the platform; `close()` closes it.
 */
export async function listenTestingModule(moduleRef: TestingModule, platform: Platform): Promise<{ app: INestApplication; url: string; close(): Promise<void> }> {
  const app: INestApplication =
    platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { app, url, close: () => app.close() };
}
