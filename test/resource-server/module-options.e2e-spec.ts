/**
 * `AuthResourceModule` as a host configures it (architecture: options validated at boot, naming the option
 * path; ConfigurableModuleBuilder with `forRootAsync` and `isGlobal`): a typo or an unsafe value stops the boot
 * with an `AuthConfigError`; `forRootAsync` takes options from a host provider; `isGlobal` lets feature modules
 * use the guards without importing the module; `BearerAuthGuard` works as a global guard with `@Public()`.
 */
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthConfigError,
  AuthResourceModule,
  BearerAuthGuard,
  CurrentToken,
  Public,
  RequireScope,
  type AuthResourceModuleOptions,
} from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectNoCredentials, issueToken } from '../resource/support/resource-app.js';
import { API_AUDIENCE, bootIssuer, bootResourceServer, callApi, type IssuerApp, type ResourceServerApp } from './support/resource-server-app.js';

const ISSUER = 'https://auth.example.test';

@Controller('feature')
class FeatureController {
  @Get()
  @RequireScope('profile')
  get(@CurrentToken('clientId') clientId: string) {
    return { clientId };
  }
}

@Module({ controllers: [FeatureController] })
class FeatureModule {}

@Controller('open')
class GloballyGuardedController {
  @Get('guarded')
  guarded(@CurrentToken('sub') sub: string) {
    return { sub };
  }

  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }
}

/** A host's configuration service, as `@nestjs/config` would provide it. */
@Injectable()
class HostConfig {
  static issuer = '';
  get(key: 'ISSUER' | 'AUDIENCE'): string {
    return key === 'ISSUER' ? HostConfig.issuer : API_AUDIENCE;
  }
}

@Module({ providers: [HostConfig], exports: [HostConfig] })
class HostConfigModule {}

describe.each(testMatrix())('AuthResourceModule options on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 8, 1, 9, 0, 0));
  let as: IssuerApp;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIssuer(platform, db, { clock });
    HostConfig.issuer = as.issuer;
  });
  afterAll(async () => {
    for (const app of open) await app.close();
    await as?.close();
  });

  async function boot(spec: Omit<Parameters<typeof bootResourceServer>[0], 'platform' | 'clock'>): Promise<ResourceServerApp> {
    const app = await bootResourceServer({ platform, clock, ...spec });
    open.push(app);
    return app;
  }

  /** The problems of a boot that must fail, each starting with its option path. */
  async function problemsOf(options: unknown): Promise<readonly string[]> {
    const error: unknown = await boot({ options: options as AuthResourceModuleOptions }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as Error).message).toContain('invalid AuthResourceModule options');
    return (error as AuthConfigError).problems;
  }

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a typo', { issuer: ISSUER, audience: API_AUDIENCE, audiance: 'x' }, 'audiance: '],
    ['no audience', { issuer: ISSUER }, 'audience: '],
    ['an http issuer off loopback', { issuer: 'http://auth.example.test', audience: API_AUDIENCE }, 'issuer: must be an https URL'],
    ['an issuer with a query', { issuer: `${ISSUER}?tenant=1`, audience: API_AUDIENCE }, 'issuer: must be an https URL'],
    ['an HMAC algorithm', { issuer: ISSUER, audience: API_AUDIENCE, algorithms: ['ES256', 'HS256'] }, 'algorithms: '],
    ['no algorithm', { issuer: ISSUER, audience: API_AUDIENCE, algorithms: [] }, 'algorithms: '],
    ['a leeway over 60 s', { issuer: ISSUER, audience: API_AUDIENCE, leeway: 61 }, 'leeway: '],
    ['a refetchInterval of 0', { issuer: ISSUER, audience: API_AUDIENCE, jwks: { refetchInterval: 0 } }, 'jwks.refetchInterval: '],
    ['a typo in jwks', { issuer: ISSUER, audience: API_AUDIENCE, jwks: { cacheTTL: 60 } }, 'jwks.cacheTTL: '],
    ['an http jwks.uri off loopback', { issuer: ISSUER, audience: API_AUDIENCE, jwks: { uri: 'http://keys.example.test/jwks' } }, 'jwks.uri: must be an https URL'],
    ['introspection without secret', { issuer: ISSUER, audience: API_AUDIENCE, introspection: { clientId: 'api' } }, 'introspection.clientSecret: '],
    [
      'an unknown introspection authMethod',
      { issuer: ISSUER, audience: API_AUDIENCE, introspection: { clientId: 'api', clientSecret: 's', authMethod: 'private_key_jwt' } },
      'introspection.authMethod: ',
    ],
    [
      'an introspection endpoint with userinfo',
      { issuer: ISSUER, audience: API_AUDIENCE, introspection: { clientId: 'api', clientSecret: 's', endpoint: 'https://u:p@auth.example.test/i' } },
      'introspection.endpoint: must be an https URL',
    ],
    ['a realm with a quote', { issuer: ISSUER, audience: API_AUDIENCE, realm: 'a"b' }, 'realm: '],
    ['a timeout under 100 ms', { issuer: ISSUER, audience: API_AUDIENCE, timeoutMs: 10 }, 'timeoutMs: '],
  ];
  it.each(invalid)('refuses to boot with %s, naming the option path', async (_, options, path) => {
    const problems = await problemsOf(options);
    expect(problems.some((problem) => problem.startsWith(path)), problems.join('\n')).toBe(true);
  });

  it('lists every problem at once', async () => {
    const problems = await problemsOf({ issuer: 'ftp://x', audience: '', leeway: -1, introspection: { clientSecret: 'x', cacheSize: -1 } });
    for (const path of ['issuer', 'audience', 'leeway', 'introspection.clientId', 'introspection.cacheSize']) {
      expect(problems.some((problem) => problem.startsWith(`${path}: `)), `${path} in\n${problems.join('\n')}`).toBe(true);
    }
  });

  it('takes options from a host provider with forRootAsync, validated the same way', async () => {
    const module = AuthResourceModule.forRootAsync({
      imports: [HostConfigModule],
      inject: [HostConfig],
      useFactory: (config: HostConfig) => ({ issuer: config.get('ISSUER'), audience: config.get('AUDIENCE') }),
    });
    const rs = await boot({ module });
    expect((await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile'))).status).toBe(200);
    const broken = AuthResourceModule.forRootAsync({ useFactory: async () => ({ issuer: as.issuer, audience: API_AUDIENCE, leeway: 600 }) });
    await expect(boot({ module: broken })).rejects.toThrow(/leeway: /);
  });

  it('with isGlobal, guards a feature module that does not import it; without, that module cannot resolve the guard', async () => {
    const options = { issuer: as.issuer, audience: API_AUDIENCE };
    const rs = await boot({ module: AuthResourceModule.forRoot({ ...options, isGlobal: true }), imports: [FeatureModule], controllers: [] });
    expect((await callApi(rs, '/feature', await issueToken(as, 'jwt', 'profile'))).body).toEqual({ clientId: 'rs-jwt' });
    expectNoCredentials(await callApi(rs, '/feature'), as.issuer);
    await expect(boot({ module: AuthResourceModule.forRoot(options), imports: [FeatureModule], controllers: [] })).rejects.toThrow(/BearerAuthGuard/);
  });

  it('works as a global guard: undecorated routes need a token, @Public() routes do not', async () => {
    const rs = await boot({
      options: { issuer: as.issuer, audience: API_AUDIENCE },
      controllers: [GloballyGuardedController],
      providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
    });
    expectNoCredentials(await callApi(rs, '/open/guarded'), as.issuer);
    expect((await callApi(rs, '/open/guarded', await issueToken(as, 'jwt'))).body).toEqual({ sub: 'rs-jwt' });
    expect((await callApi(rs, '/open/public')).body).toEqual({ ok: true });
  });
});
