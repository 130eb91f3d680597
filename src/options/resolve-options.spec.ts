import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { STANDARD_SCOPE_CLAIMS } from '../server/oidc/standard-claims.js';
import { resolveAuthOptions } from './resolve-options.js';

const ISSUER = 'https://auth.example.com';
const SECRET = 'x'.repeat(32);

/** Resolves untyped options (typos are the point) outside production unless told. */
function resolve(raw: unknown, env: NodeJS.ProcessEnv = {}) {
  return resolveAuthOptions(raw as AuthModuleOptions, env);
}

/** The problems an invalid configuration reports; fails the test when it resolves. */
function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    resolve(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    const configError = error as AuthConfigError;
    configError.problems.forEach((problem) => expect(configError.message).toContain(problem));
    return configError.problems;
  }
  throw new Error('expected an AuthConfigError');
}

/** Asserts that every problem (one at least) is at `path`; returns them joined. */
function expectOnlyProblemAt(raw: unknown, path: string, env: NodeJS.ProcessEnv = {}): string {
  const found = problems(raw, env);
  expect(found.length).toBeGreaterThan(0);
  expect(found.every((problem) => problem.startsWith(`${path}: `)), found.join('\n')).toBe(true);
  return found.join('\n');
}

const client = (extra: Record<string, unknown> = {}) => ({ clientId: 'web', clientSecret: 'secret-123456', ...extra });

describe('resolveAuthOptions defaults', () => {
  it('fills every default from the issuer alone', () => {
    expect(resolve({ issuer: ISSUER })).toEqual({
      issuer: ISSUER,
      database: { kind: 'sqlite', path: 'authnest.sqlite', migrations: 'run' },
      accessToken: { format: 'jwt', ttl: 3600, audience: ISSUER },
      resources: [],
      signing: { algorithm: 'ES256', encryptionSecret: undefined, secretFile: join('.authnest', 'secret.key'), reloadInterval: 60, propagationDelay: 900 },
      scopes: [],
      clients: [],
      resource: { leeway: 5, jwtCacheTtl: 300, opaqueCacheTtl: 0, realm: ISSUER },
      clientSecretCacheTtl: 300,
      clientCacheTtl: 0,
      fastPath: false,
      clientAssertions: { maxLifetime: 300, jwksCacheTtl: 300, jwksTimeoutMs: 2500, allowPrivateJwksUri: false },
      registration: {
        mode: 'disabled',
        initialAccessTokenHashes: [],
        allowedScopes: [],
        defaultScopes: [],
        grantTypes: ['authorization_code', 'refresh_token'],
        authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
        registrationAccessTokenTtl: 0,
        secretBytes: 32,
        rateLimit: { max: 20, window: 900 },
      },
      jwtBearer: { issuers: [] },
      par: { ttl: 60, required: false },
      dpop: {
        enabled: false,
        required: false,
        requireNonce: false,
        nonceLifetime: 300,
        proofMaxAge: 60,
        leeway: 15,
        algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'],
        resourceOrigin: 'https://auth.example.com',
      },
      audit: { store: false, retention: 7_776_000 },
      requestIds: { enabled: false, header: 'x-request-id', trustIncoming: true },
      purgeInterval: 3600,
      production: false,
      authorization: { codeTtl: 60, pkce: 'all-clients', allowPlainPkce: false },
      refreshToken: { ttl: 1_209_600, absoluteTtl: 7_776_000, reuseGrace: 10 },
      interaction: { mode: 'builtin', loginUrl: undefined, ttl: 600, sessionTtl: 86_400 },
      loginRateLimit: { perAccount: { max: 10, window: 900 }, perAddress: { max: 50, window: 900 } },
      oidc: {
        idTokenTtl: 3600,
        requireNonce: false,
        scopeClaimsInIdToken: false,
        scopeClaims: STANDARD_SCOPE_CLAIMS,
        pairwiseSalt: undefined,
        backchannelLogoutTimeoutMs: 5000,
      },
      deviceFlow: {
        codeTtl: 600,
        interval: 5,
        userCodeLength: 8,
        verificationUri: `${ISSUER}/oauth/device`,
        userCodeRateLimit: { perAddress: { max: 30, window: 900 }, perBrowser: { max: 10, window: 900 } },
      },
    });
  });

  it('drops trailing slashes of the issuer, and derives audience and realm from the result', () => {
    const options = resolve({ issuer: `${ISSUER}/tenant//` });
    expect(options.issuer).toBe(`${ISSUER}/tenant`);
    expect(options.accessToken.audience).toBe(`${ISSUER}/tenant`);
    expect(options.resource.realm).toBe(`${ISSUER}/tenant`);
  });

  it('keeps explicit values', () => {
    const options = resolve({
      issuer: ISSUER,
      accessToken: { format: 'opaque', ttl: 600, audience: 'https://api.example.com' },
      signing: { algorithm: 'EdDSA', encryptionSecret: SECRET, secretFile: '/run/secret' },
      resource: { leeway: 0, jwtCacheTtl: 0, opaqueCacheTtl: 30, realm: 'api' },
      clientSecretCacheTtl: 0,
      clientCacheTtl: 30,
      purgeInterval: 0,
    });
    expect(options.accessToken).toEqual({ format: 'opaque', ttl: 600, audience: 'https://api.example.com' });
    expect(options.signing).toEqual({ algorithm: 'EdDSA', encryptionSecret: SECRET, secretFile: '/run/secret', reloadInterval: 60, propagationDelay: 900 });
    expect(options.resource).toEqual({ leeway: 0, jwtCacheTtl: 0, opaqueCacheTtl: 30, realm: 'api' });
    expect([options.clientSecretCacheTtl, options.clientCacheTtl, options.purgeInterval]).toEqual([0, 30, 0]);
  });

  it('keeps the generated development secret beside the SQLite file', () => {
    const options = resolve({ issuer: ISSUER, database: { type: 'sqlite', path: '/var/lib/app/auth.sqlite' } });
    expect(options.signing.secretFile).toBe('/var/lib/app/.authnest/secret.key');
    expect(resolve({ issuer: ISSUER, database: { type: 'sqlite', path: ':memory:' } }).signing.secretFile).toBe(join('.authnest', 'secret.key'));
  });

  it('applies PostgreSQL defaults', () => {
    const options = resolve({ issuer: ISSUER, database: { type: 'postgres', url: 'postgres://u:p@db/auth' } });
    expect(options.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/auth', schema: undefined, poolSize: 10, migrations: 'run' });
    expect(options.signing.secretFile).toBe(join('.authnest', 'secret.key'));
  });

  it('adopts a host DataSource as is', () => {
    const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    const options = resolve({ issuer: ISSUER, database: { dataSource, migrations: 'check' } });
    expect(options.database).toEqual({ kind: 'existing', dataSource, migrations: 'check' });
    expect((options.database as { dataSource: DataSource }).dataSource).toBe(dataSource);
  });

  it('applies client defaults: confidential with a secret, public without', () => {
    const options = resolve({ issuer: ISSUER, clients: [{ clientId: 'svc', clientSecret: 'secret-123456' }, { clientId: 'spa' }] });
    expect(options.clients).toEqual([
      {
        clientId: 'svc',
        clientSecret: 'secret-123456',
        name: 'svc',
        authMethods: ['client_secret_basic'],
        grantTypes: ['client_credentials'],
        scopes: [],
        defaultScopes: [],
        redirectUris: [],
        accessTokenFormat: undefined,
        audience: undefined,
        firstParty: false,
        allowIntrospection: false,
        postLogoutRedirectUris: [],
        backchannelLogoutUri: undefined,
        subjectType: 'public',
        sectorIdentifier: undefined,
      },
      expect.objectContaining({ clientId: 'spa', clientSecret: undefined, authMethods: ['none'] }),
    ]);
  });

  it('marks production from NODE_ENV', () => {
    expect(resolve({ issuer: ISSUER, signing: { encryptionSecret: SECRET } }, { NODE_ENV: 'production' }).production).toBe(true);
  });
});

describe('resolveAuthOptions typos stop the boot, naming the option path', () => {
  it.each([
    ['top level', { issuer: ISSUER, acessToken: { format: 'jwt' } }, 'acessToken'],
    ['accessToken', { issuer: ISSUER, accessToken: { fromat: 'opaque' } }, 'accessToken.fromat'],
    ['signing', { issuer: ISSUER, signing: { algoritm: 'RS256' } }, 'signing.algoritm'],
    ['resource', { issuer: ISSUER, resource: { leway: 10 } }, 'resource.leway'],
    ['clients[0]', { issuer: ISSUER, scopes: ['a'], clients: [client({ scopse: ['a'] })] }, 'clients[0].scopse'],
    ['clients[1]', { issuer: ISSUER, clients: [client(), client({ clientId: 'b', redirectUri: 'https://x' })] }, 'clients[1].redirectUri'],
    ['sqlite database', { issuer: ISSUER, database: { type: 'sqlite', pth: 'a.sqlite' } }, 'database.pth'],
    ['postgres database', { issuer: ISSUER, database: { type: 'postgres', url: 'postgres://db/a', shema: 's' } }, 'database.shema'],
    ['host DataSource', { issuer: ISSUER, database: { dataSource: new DataSource({ type: 'better-sqlite3', database: ':memory:' }), migration: 'run' } }, 'database.migration'],
  ])('unknown property in %s', (_where, raw, path) => {
    const problem = expectOnlyProblemAt(raw, path);
    expect(problem).toContain('should not exist');
  });

  it.each([
    ['accessToken.format', { accessToken: { format: 'JWT' } }],
    ['signing.algorithm', { signing: { algorithm: 'HS256' } }],
    ['clients[0].authMethods', { clients: [client({ authMethods: ['tls_client_auth'] })] }],
    ['clients[0].accessTokenFormat', { clients: [client({ accessTokenFormat: 'paseto' })] }],
    ['database.migrations', { database: { type: 'sqlite', migrations: 'auto' } }],
    ['scopes', { scopes: ['read write'] }],
    ['scopes', { scopes: ['a', 'a'] }],
    ['clients[0].clientId', { clients: [client({ clientId: 'has space' })] }],
    ['clients[0].clientSecret', { clients: [client({ clientSecret: 'short' })] }],
  ])('a misspelt value of %s', (path, extra) => {
    expect(problems({ issuer: ISSUER, ...extra }).some((problem) => problem.startsWith(`${path}: `))).toBe(true);
  });

  it('refuses a value of the wrong shape without crashing', () => {
    expect(problems(undefined)).toEqual(['options: must be an object']);
    expectOnlyProblemAt({ issuer: ISSUER, clients: 'web' }, 'clients');
    expectOnlyProblemAt({ issuer: ISSUER, clients: [null] }, 'clients[0]');
    expectOnlyProblemAt({ issuer: ISSUER, scopes: ['a'], clients: [client({ scopes: 'a' })] }, 'clients[0].scopes');
    expectOnlyProblemAt({ issuer: ISSUER, database: 'sqlite' }, 'database');
    expectOnlyProblemAt({ issuer: ISSUER, accessToken: 'jwt' }, 'accessToken');
    expect(problems({}).some((problem) => problem.startsWith('issuer: '))).toBe(true);
  });

  it('lists every problem at once', () => {
    const found = problems({ issuer: 'http://auth.example.com', acessToken: {}, resource: { leeway: 99 } });
    expect(found.map((problem) => problem.split(':')[0])).toEqual(expect.arrayContaining(['acessToken', 'resource.leeway', 'issuer']));
  });
});

describe('resolveAuthOptions refuses unsafe combinations', () => {
  it.each([
    'http://auth.example.com',
    'http://10.0.0.1',
    'https://auth.example.com?tenant=a',
    'https://auth.example.com/?',
    'https://auth.example.com#top',
    'https://admin:pw@auth.example.com',
    'auth.example.com',
    'ftp://auth.example.com',
  ])('issuer %s', (issuer) => {
    expectOnlyProblemAt({ issuer }, 'issuer');
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080', 'https://auth.example.com/tenant-a'])('accepts issuer %s', (issuer) => {
    expect(resolve({ issuer }).issuer).toBe(issuer);
  });

  it('requires signing.encryptionSecret when NODE_ENV=production', () => {
    expectOnlyProblemAt({ issuer: ISSUER }, 'signing.encryptionSecret', { NODE_ENV: 'production' });
    expect(resolve({ issuer: ISSUER }, { NODE_ENV: 'development' }).production).toBe(false);
  });

  it('refuses an encryptionSecret shorter than 32 characters', () => {
    const problem = expectOnlyProblemAt({ issuer: ISSUER, signing: { encryptionSecret: 'x'.repeat(31) } }, 'signing.encryptionSecret');
    expect(problem).toContain('at least 32 characters');
  });

  it('refuses a confidential client without a secret', () => {
    expectOnlyProblemAt({ issuer: ISSUER, clients: [{ clientId: 'web', authMethods: ['client_secret_post'] }] }, 'clients[0].clientSecret');
  });

  it("refuses a secret together with 'none'", () => {
    expectOnlyProblemAt({ issuer: ISSUER, clients: [client({ authMethods: ['client_secret_basic', 'none'] })] }, 'clients[0].authMethods');
  });

  it('refuses a client scope the server does not know', () => {
    const problem = expectOnlyProblemAt({ issuer: ISSUER, scopes: ['a'], clients: [client({ scopes: ['a', 'b'] })] }, 'clients[0].scopes');
    expect(problem).toContain("'b'");
  });

  it("refuses default scopes outside the client's scopes", () => {
    const raw = { issuer: ISSUER, scopes: ['a', 'b'], clients: [client({ scopes: ['a'], defaultScopes: ['b'] })] };
    expect(expectOnlyProblemAt(raw, 'clients[0].defaultScopes')).toContain("'b'");
  });

  it('refuses a clientId listed twice', () => {
    expectOnlyProblemAt({ issuer: ISSUER, clients: [client(), client({ clientId: 'other' }), client()] }, 'clients[2].clientId');
  });

  it.each([
    'https://app.example.com/cb#frag',
    'https://app.example.com/cb#',
    'http://app.example.com/cb',
    'https://user:pw@app.example.com/cb',
    'https://user@app.example.com/cb',
    '/relative/cb',
    'javascript:alert(1)',
    'myapp:/cb',
  ])('refuses redirect URI %s', (uri) => {
    expect(expectOnlyProblemAt({ issuer: ISSUER, clients: [client({ redirectUris: [uri] })] }, 'clients[0].redirectUris')).toContain(uri);
  });

  it('accepts https, loopback http and private-use redirect URIs', () => {
    const redirectUris = ['https://app.example.com/cb?x=1', 'http://127.0.0.1:8080/cb', 'http://localhost/cb', 'com.example.app:/oauth'];
    expect(resolve({ issuer: ISSUER, clients: [client({ redirectUris })] }).clients[0]!.redirectUris).toEqual(redirectUris);
  });

  it.each([
    ['accessToken.ttl', { accessToken: { ttl: 29 } }],
    ['accessToken.ttl', { accessToken: { ttl: 86_401 } }],
    ['accessToken.ttl', { accessToken: { ttl: 60.5 } }],
    ['accessToken.ttl', { accessToken: { ttl: '3600' } }],
    ['resource.leeway', { resource: { leeway: 61 } }],
    ['resource.leeway', { resource: { leeway: -1 } }],
    ['resource.jwtCacheTtl', { resource: { jwtCacheTtl: 3601 } }],
    ['resource.opaqueCacheTtl', { resource: { opaqueCacheTtl: -1 } }],
    ['clientSecretCacheTtl', { clientSecretCacheTtl: 3601 }],
    ['clientCacheTtl', { clientCacheTtl: 3601 }],
    ['clientCacheTtl', { clientCacheTtl: -1 }],
    ['fastPath', { fastPath: 'yes' }],
    ['purgeInterval', { purgeInterval: -5 }],
    ['database.poolSize', { database: { type: 'postgres', url: 'postgres://db/a', poolSize: 0 } }],
  ])('refuses %s out of range', (path, extra) => {
    expectOnlyProblemAt({ issuer: ISSUER, ...extra }, path);
  });

  it('refuses an unknown database type', () => {
    expect(expectOnlyProblemAt({ issuer: ISSUER, database: { type: 'mysql', url: 'mysql://db/a' } }, 'database.type')).toContain('sqlite, postgres');
  });

  it('requires a postgres:// url for PostgreSQL', () => {
    expectOnlyProblemAt({ issuer: ISSUER, database: { type: 'postgres' } }, 'database.url');
    expectOnlyProblemAt({ issuer: ISSUER, database: { type: 'postgres', url: 'mysql://db/a' } }, 'database.url');
  });

  it('refuses an unsafe schema name and a dataSource that is not one', () => {
    expectOnlyProblemAt({ issuer: ISSUER, database: { type: 'postgres', url: 'postgres://db/a', schema: 'a"; drop' } }, 'database.schema');
    expectOnlyProblemAt({ issuer: ISSUER, database: { dataSource: { type: 'sqlite' } } }, 'database.dataSource');
  });
});
