import { Injectable, Module } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AuthConfigError, InjectOAuthClient, OAuthClient, OAuthClientModule, type OAuthClientModuleOptions } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootClientApp } from './support/client-app.js';

const SECRET = 'svc-secret-000001';

/** Configuration the host app reads at boot (as `ConfigService` would provide it). */
@Injectable()
class ReportingConfig {
  readonly issuer = 'https://auth.example.com';
}

@Module({ providers: [ReportingConfig], exports: [ReportingConfig] })
class ConfigModule {}

@Injectable()
class Needs {
  constructor(@InjectOAuthClient('reporting') readonly client: OAuthClient) {}
}

async function bootError(platform: 'express' | 'fastify', options: unknown): Promise<string[]> {
  const error = await bootClientApp(platform, OAuthClientModule.forRoot(options as OAuthClientModuleOptions)).then(
    (app) => app.close().then(() => undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthConfigError);
  expect((error as Error).message).toContain('invalid OAuthClientModule options');
  return [...(error as AuthConfigError).problems];
}

/** `OAuthClientModule` options are validated at boot, naming each problem's path; `forRootAsync` names its clients. */
describe.each(testMatrix().filter(([, db]) => db === 'sqlite'))('OAuthClientModule options on %s', (platform) => {
  it('boots with forRootAsync and injects the clients it names', async () => {
    const app = await bootClientApp(
      platform,
      OAuthClientModule.forRootAsync({
        clients: ['reporting'],
        imports: [ConfigModule],
        inject: [ReportingConfig],
        useFactory: (config: ReportingConfig) => ({ providers: { reporting: { issuer: config.issuer, clientId: 'svc', clientSecret: SECRET } } }),
      }),
      { providers: [Needs] },
    );
    try {
      const { client } = app.get(Needs);
      expect(client.name).toBe('reporting');
      expect(client.provider).toMatchObject({ issuer: 'https://auth.example.com', authMethod: 'client_secret_basic', scopes: [] });
    } finally {
      await app.close();
    }
  });

  it.each<[string, unknown, string[]]>([
    ['no providers', {}, ['providers: providers must be an object']],
    ['an empty provider list', { providers: {} }, ['providers: name at least one provider']],
    ['a typo', { providers: { a: { issuer: 'https://a.example', clientId: 'c', clientSecert: 'x' } } }, ['providers.a.clientSecert: property clientSecert should not exist']],
    ['no issuer and no token endpoint', { providers: { a: { clientId: 'c' } } }, ['providers.a: give issuer (for discovery) or endpoints.token']],
    ['an http issuer off loopback', { providers: { a: { issuer: 'http://auth.example.com', clientId: 'c' } } }, ['providers.a.issuer: must be an https URL (http only on a loopback host) without query or fragment']],
    [
      'an endpoint with a fragment',
      { providers: { a: { endpoints: { token: 'https://a.example/token#x' }, clientId: 'c' } } },
      ['providers.a.endpoints.token: must be an https URL (http only on a loopback host) without query or fragment'],
    ],
    ['a secret method without secret', { providers: { a: { issuer: 'https://a.example', clientId: 'c', authMethod: 'client_secret_post' } } }, ['providers.a.clientSecret: required for client_secret_post']],
    ['none with a secret', { providers: { a: { issuer: 'https://a.example', clientId: 'c', clientSecret: SECRET, authMethod: 'none' } } }, ["providers.a.authMethod: a client with a secret or key must not use 'none'"]],
    ['a bad provider name', { providers: { 'a b': { issuer: 'https://a.example', clientId: 'c' } } }, ["providers.a b: a provider name is 1 to 64 letters, digits, '-' or '_'"]],
    ['a bad scope', { providers: { a: { issuer: 'https://a.example', clientId: 'c', scopes: ['a b'] } } }, ['providers.a.scopes: each scope must be an RFC 6749 scope token']],
    ['a timeout out of range', { providers: { a: { issuer: 'https://a.example', clientId: 'c' } }, timeoutMs: 10 }, ['timeoutMs: timeoutMs must not be less than 100']],
  ])('refuses %s', async (_what, options, problems) => {
    expect(await bootError(platform, options)).toEqual(problems);
  });
});
