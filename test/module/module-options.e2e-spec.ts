import { Controller, Get, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUTH_OPTIONS,
  AuthConfigError,
  AuthModule,
  BearerAuthGuard,
  CurrentToken,
  type AuthDatabaseOptions,
  type AuthModuleOptions,
  type ResolvedAuthOptions,
} from '../../src/index.js';
import { getMe, issueToken, MeController } from '../support/app-helpers.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, TEST_ISSUER, TEST_SECRET, type TestApp } from '../support/test-app.js';

const CLIENT = { clientId: 'svc', clientSecret: 'svc-secret-123' };

/** A ConfigModule-like provider: configuration read from an injected map of values. */
const CONFIG_VALUES = Symbol('config values');

@Injectable()
class AppConfig {
  constructor(@Inject(CONFIG_VALUES) private readonly values: Record<string, string>) {}

  get(key: string): string {
    const value = this.values[key];
    if (value === undefined) throw new Error(`missing config ${key}`);
    return value;
  }
}

@Module({ providers: [AppConfig], exports: [AppConfig] })
class AppConfigModule {
  static with(values: Record<string, string>) {
    return { module: AppConfigModule, providers: [{ provide: CONFIG_VALUES, useValue: values }, AppConfig], exports: [AppConfig] };
  }
}

/** A feature module that does not import AuthModule but guards a route with BearerAuthGuard. */
@Controller('feature')
class FeatureController {
  @Get()
  @UseGuards(BearerAuthGuard)
  feature(@CurrentToken('sub') sub: string): Record<string, unknown> {
    return { sub };
  }
}

/** With isGlobal, authnest's exported providers are injectable in any module. */
@Injectable()
class FeatureService {
  constructor(@Inject(AUTH_OPTIONS) readonly options: ResolvedAuthOptions) {}
}

@Controller('feature-issuer')
class FeatureIssuerController {
  constructor(private readonly service: FeatureService) {}

  @Get()
  issuer(): Record<string, unknown> {
    return { issuer: this.service.options.issuer };
  }
}

@Module({ controllers: [FeatureIssuerController], providers: [FeatureService] })
class FeatureOptionsModule {}

@Module({ controllers: [FeatureController] })
class FeatureModule {}

function options(database: AuthDatabaseOptions, extra: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return { issuer: TEST_ISSUER, database, signing: { encryptionSecret: TEST_SECRET }, purgeInterval: 0, clients: [CLIENT], ...extra };
}

describe.each(testMatrix())('AuthModule options and wiring on %s/%s', (platform, db) => {
  let t: TestApp | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await t?.close();
    await drop?.();
    t = undefined;
    drop = undefined;
  });

  /** A fresh database for an app whose AuthModule the test builds itself. */
  function database(): AuthDatabaseOptions {
    const fresh = freshDatabase(db);
    drop = fresh.drop;
    return fresh.database;
  }

  it('forRootAsync reads its options from an imported config provider', async () => {
    const dbOptions = database();
    const authModule = AuthModule.forRootAsync({
      imports: [AppConfigModule.with({ ISSUER: 'http://localhost:4000', CLIENT_SECRET: 'from-config-123' })],
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        options(dbOptions, { issuer: config.get('ISSUER'), clients: [{ clientId: 'svc', clientSecret: config.get('CLIENT_SECRET') }] }),
    });
    t = await bootTestApp({ platform, db, database: dbOptions, authModule, controllers: [MeController] });
    const metadata = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect(metadata.body.issuer).toBe('http://localhost:4000');
    const me = await getMe(t.url, await issueToken(t.url, 'svc', 'from-config-123'));
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ sub: 'svc', clientId: 'svc' });
  });

  it.each([
    ['forRoot', (dbOptions: AuthDatabaseOptions) => AuthModule.forRoot({ ...options(dbOptions), isGlobal: true })],
    [
      'forRootAsync',
      (dbOptions: AuthDatabaseOptions) =>
        AuthModule.forRootAsync({ isGlobal: true, imports: [AppConfigModule.with({})], inject: [AppConfig], useFactory: () => options(dbOptions) }),
    ],
  ])('isGlobal: true on %s lets another module use BearerAuthGuard without importing AuthModule', async (_method, build) => {
    const dbOptions = database();
    t = await bootTestApp({ platform, db, database: dbOptions, authModule: build(dbOptions), imports: [FeatureModule, FeatureOptionsModule] });
    const token = await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret);
    const ok = await request(`${t.url}/feature`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ sub: 'svc' });
    expect((await request(`${t.url}/feature-issuer`)).body).toEqual({ issuer: TEST_ISSUER });
    const anonymous = await request(`${t.url}/feature`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it.each([
    ['forRoot', (dbOptions: AuthDatabaseOptions) => AuthModule.forRoot(options(dbOptions))],
    [
      'forRootAsync',
      (dbOptions: AuthDatabaseOptions) => AuthModule.forRootAsync({ isGlobal: false, useFactory: () => options(dbOptions) }),
    ],
  ])('without isGlobal (%s) a module that does not import AuthModule cannot use its guard', async (_method, build) => {
    const dbOptions = database();
    const failure = await bootTestApp({ platform, db, database: dbOptions, authModule: build(dbOptions), imports: [FeatureModule] }).catch(
      (error: unknown) => error,
    );
    expect(String(failure)).toMatch(/resolve dependencies of the BearerAuthGuard/);
  });

  it.each([
    ['forRoot', (raw: AuthModuleOptions) => AuthModule.forRoot(raw)],
    ['forRootAsync', (raw: AuthModuleOptions) => AuthModule.forRootAsync({ useFactory: async () => raw })],
  ])('%s with bad options fails the boot, naming every option path', async (_method, build) => {
    const dbOptions = database();
    const bad = { ...options(dbOptions), acessToken: { ttl: 60 }, clients: [{ ...CLIENT, scopse: ['a'] }] } as unknown as AuthModuleOptions;
    const failure = await bootTestApp({ platform, db, database: dbOptions, authModule: build(bad) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect((failure as AuthConfigError).problems).toEqual([
      'acessToken: property acessToken should not exist',
      'clients[0].scopse: property scopse should not exist',
    ]);
  });

  it('an unsafe issuer fails the boot before anything is stored', async () => {
    const dbOptions = database();
    const authModule = AuthModule.forRoot(options(dbOptions, { issuer: 'http://auth.example.com' }));
    await expect(bootTestApp({ platform, db, database: dbOptions, authModule })).rejects.toThrow(/issuer: must be an https URL/);
  });

  it('isGlobal stays an option of the module, not of authnest: inside useFactory it is a typo', async () => {
    const dbOptions = database();
    const authModule = AuthModule.forRootAsync({ useFactory: () => ({ ...options(dbOptions), isGlobal: true }) as AuthModuleOptions });
    await expect(bootTestApp({ platform, db, database: dbOptions, authModule })).rejects.toThrow(/isGlobal: property isGlobal should not exist/);
  });
});
