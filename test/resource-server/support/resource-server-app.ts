import { Controller, Get, Module, Req, UseGuards, type DynamicModule, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { expect } from 'vitest';
import {
  AuthnestPassportGuard,
  AuthResourceModule,
  Clock,
  CurrentToken,
  RequireScope,
  type AccessTokenInfo,
  type AuthModuleOptions,
  type AuthResourceModuleOptions,
  type ClientSeed,
} from '../../../src/index.js';
import { request, type TestResponse } from '../../support/http.js';
import type { Database, Platform } from '../../support/matrix.js';
import type { TestApp } from '../../support/test-app.js';
import { bootResourceApp } from '../../resource/support/resource-app.js';
import { CountingProxy } from './counting-proxy.js';

/** The audience of the API: the authorization server puts it in `aud`, the resource server requires it. */
export const API_AUDIENCE = 'https://api.example.test';

/** A client of the authorization server whose tokens are meant for another API. */
export const OTHER_API_CLIENT = { clientId: 'rs-other-api', clientSecret: 'rs-other-api-secret', scopes: ['profile'], audience: 'https://other.example.test' };

/** Metadata and JWKS paths of the authorization server (what the resource server fetches). */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
export const JWKS_PATH = '/oauth/jwks';

/** An authorization server app (AuthModule) behind a counting proxy whose URL is its issuer. */
export interface IssuerApp extends TestApp {
  proxy: CountingProxy;
}

/**
 * Boots a real authorization server (the resource suites' clients, JWT and opaque) whose issuer is the URL of a
 * counting proxy started first: the resource server reaches it only through the proxy.
 */
export async function bootIssuer(
  platform: Platform,
  db: Database,
  spec: {
    clock?: Clock;
    options?: Partial<AuthModuleOptions>;
    database?: TestApp['database'];
    proxy?: CountingProxy;
    /** Modules of the host app, e.g. one that provides an `AccountService` for the browser flow. */
    imports?: ModuleMetadata['imports'];
  } = {},
): Promise<IssuerApp> {
  const proxy = spec.proxy ?? (await CountingProxy.start());
  const clients: ClientSeed[] = [OTHER_API_CLIENT];
  const app = await bootResourceApp(platform, db, {
    clock: spec.clock,
    database: spec.database,
    imports: spec.imports,
    options: { issuer: proxy.url, accessToken: { audience: API_AUDIENCE }, clients, ...spec.options },
  });
  proxy.target ??= app.url;
  return {
    ...app,
    proxy,
    close: async () => {
      await app.close();
      if (!spec.proxy) await proxy.stop();
    },
  };
}

/** A route per scope requirement, reporting what `@CurrentToken()` saw. */
@Controller('api')
export class ApiController {
  @Get('me')
  @RequireScope('profile')
  me(@CurrentToken() token: AccessTokenInfo) {
    const { format, sub, clientId, scopes, aud, iss, jti, iat, exp } = token;
    return { format, sub, clientId, scopes, aud, iss, jti, iat, exp };
  }

  @Get('admin')
  @RequireScope('admin')
  admin(@CurrentToken('sub') sub: string) {
    return { sub };
  }

  @Get('either')
  @RequireScope(['posts:read'], ['email'])
  either(@CurrentToken('scopes') scopes: string[]) {
    return { scopes };
  }
}

/** The passport guard of the resource module. */
@Controller('passport')
@UseGuards(AuthnestPassportGuard)
export class PassportController {
  @Get('me')
  me(@Req() request: { user?: AccessTokenInfo }) {
    return { clientId: request.user?.clientId };
  }
}

/** A separate Nest app that uses only AuthResourceModule, on 127.0.0.1 port 0. */
export interface ResourceServerApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export interface ResourceServerSpec extends Pick<ModuleMetadata, 'controllers' | 'providers' | 'imports'> {
  platform: Platform;
  /** Options of `AuthResourceModule.forRoot` (or give `module`). */
  options?: AuthResourceModuleOptions;
  /** Use this module instead of `AuthResourceModule.forRoot(options)`. */
  module?: DynamicModule;
  clock?: Clock;
}

export async function bootResourceServer(spec: ResourceServerSpec): Promise<ResourceServerApp> {
  const resourceModule = spec.module ?? AuthResourceModule.forRoot(spec.options!);
  @Module({
    imports: [resourceModule, ...(spec.imports ?? [])],
    controllers: spec.controllers ?? [ApiController, PassportController],
    providers: spec.providers ?? [],
  })
  class ResourceRootModule {}
  let builder = Test.createTestingModule({ imports: [ResourceRootModule] });
  if (spec.clock) builder = builder.overrideProvider(Clock).useValue(spec.clock);
  const moduleRef = await builder.compile();
  const app: INestApplication =
    spec.platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
      : moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

/** GET a route of the resource server with a bearer token. */
export function callApi(rs: ResourceServerApp, path: string, token?: string): Promise<TestResponse> {
  return request(`${rs.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

/**
 * The guard could not ask the issuer: 503 `temporarily_unavailable`, no challenge, no-store, and nothing about
 * the failure (URL, error name) in the body.
 */
export function expectUnavailable(res: TestResponse, issuer: string): void {
  expect(res.status, res.text).toBe(503);
  expect(res.body.error).toBe('temporarily_unavailable');
  expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(res.headers.get('cache-control')).toBe('no-store');
  const port = new URL(issuer).port;
  expect(res.text).not.toContain(port);
  expect(res.text).not.toMatch(/ECONN|fetch|Upstream|HTTP 5|html|timed|within/i);
}
