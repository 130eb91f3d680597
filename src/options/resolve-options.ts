import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { isAcceptableRedirectUri, isSafeServerUrl } from '../internal/url-rules.js';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions, ClientSeed } from './auth-options.interface.js';
import { AuthModuleOptionsSchema, PostgresDatabaseSchema, SqliteDatabaseSchema } from './auth-options.schema.js';
import { defaultAuthMethods, resolveClientAssertions, resolveClientKeys, resolveJwtBearerIssuers } from './resolve-client-auth.js';
import { resolveDeviceFlowOptions } from './resolve-device-flow-options.js';
import { resolveFlowOptions } from './resolve-flow-options.js';
import { resolveRegistrationOptions } from './resolve-registration-options.js';
import { resolveResourceIndicators } from './resolve-resource-indicators.js';
import { resolvePushedAuthorizationOptions } from './resolve-pushed-authorization-options.js';
import { resolveDpopOptions } from './resolve-dpop-options.js';
import { resolveAuditOptions } from './resolve-audit-options.js';
import { resolveRedisOptions } from './resolve-redis-options.js';
import { resolveRequestIdOptions } from './resolve-request-id-options.js';
import { resolveOpenIdClient, resolveOpenIdOptions } from './resolve-oidc-options.js';
import type { ResolvedAuthOptions, ResolvedClientSeed, ResolvedDatabase } from './resolved-options.js';
import { validationProblems } from './validation-problems.js';
import { resolveKeyRotation } from './resolve-signing-options.js';

export function resolveDatabase(options: AuthModuleOptions, problems: string[]): ResolvedDatabase {
  const db = options.database ?? { type: 'sqlite' as const };
  if (typeof db !== 'object' || db === null) {
    problems.push("database: must be an object: { type: 'sqlite' | 'postgres', ... } or { dataSource }");
    return { kind: 'sqlite', path: 'authnest.sqlite', migrations: 'run' };
  }
  if ('dataSource' in db) {
    const unknownKeys = Object.keys(db).filter((key) => key !== 'dataSource' && key !== 'migrations');
    unknownKeys.forEach((key) => problems.push(`database.${key}: property ${key} should not exist`));
    if (typeof (db.dataSource as Partial<DataSource> | undefined)?.initialize !== 'function') {
      problems.push('database.dataSource: must be a TypeORM DataSource');
    }
    if (db.migrations !== undefined && db.migrations !== 'run' && db.migrations !== 'check') {
      problems.push('database.migrations: must be one of run, check');
    }
    // A host-owned DataSource may hold the host's own pending migrations: authnest does not run those by default.
    return { kind: 'existing', dataSource: db.dataSource, migrations: db.migrations ?? 'check' };
  }
  if (db.type !== 'sqlite' && db.type !== 'postgres') {
    problems.push("database.type: must be one of sqlite, postgres (or pass { dataSource } for any other TypeORM DataSource)");
    return { kind: 'sqlite', path: 'authnest.sqlite', migrations: 'run' };
  }
  if (db.type === 'postgres') {
    problems.push(...validationProblems(PostgresDatabaseSchema, db, 'database'));
    return { kind: 'postgres', url: db.url, schema: db.schema, poolSize: db.poolSize ?? 10, migrations: db.migrations ?? 'run' };
  }
  problems.push(...validationProblems(SqliteDatabaseSchema, db, 'database'));
  return { kind: 'sqlite', path: db.path ?? 'authnest.sqlite', migrations: db.migrations ?? 'run' };
}

/** A client seed with defaults, and its problems by option path (`clients[index]...`); also checks registered clients. */
export function resolveClient(seed: ClientSeed, index: number, scopes: Set<string>, problems: string[]): ResolvedClientSeed {
  const path = `clients[${index}]`;
  const authMethods = seed.authMethods ?? defaultAuthMethods(seed);
  const client: ResolvedClientSeed = {
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    name: seed.name ?? seed.clientId,
    authMethods,
    grantTypes: seed.grantTypes ?? ['client_credentials'],
    scopes: seed.scopes ?? [],
    defaultScopes: seed.defaultScopes ?? [],
    redirectUris: seed.redirectUris ?? [],
    accessTokenFormat: seed.accessTokenFormat,
    audience: seed.audience,
    resources: seed.resources,
    firstParty: seed.firstParty ?? false,
    allowIntrospection: seed.allowIntrospection ?? false,
    requirePushedAuthorizationRequests: seed.requirePushedAuthorizationRequests,
    dpopBoundAccessTokens: seed.dpopBoundAccessTokens,
    ...resolveOpenIdClient(seed, seed.redirectUris ?? [], path, problems),
    ...resolveClientKeys(seed, authMethods, path, problems),
  };
  const secretMethods = client.authMethods.filter((method) => method !== 'none' && method !== 'private_key_jwt');
  if (secretMethods.length > 0 && !client.clientSecret) problems.push(`${path}.clientSecret: required for ${secretMethods.join(', ')}`);
  if ((client.clientSecret || client.jwks || client.jwksUri) && client.authMethods.includes('none')) {
    problems.push(`${path}.authMethods: a client with a secret or keys must not allow 'none'`);
  }
  client.scopes.filter((scope) => !scopes.has(scope)).forEach((scope) => problems.push(`${path}.scopes: '${scope}' is not in scopes`));
  client.defaultScopes
    .filter((scope) => !client.scopes.includes(scope))
    .forEach((scope) => problems.push(`${path}.defaultScopes: '${scope}' is not in this client's scopes`));
  client.redirectUris
    .filter((uri) => !isAcceptableRedirectUri(uri))
    .forEach((uri) => problems.push(`${path}.redirectUris: '${uri}' must be absolute, without fragment, https or http on a loopback host`));
  return client;
}

/** Where the development secret is kept by default: beside the SQLite file, else in the working directory (also read by `authnest keys`). */
export function defaultSecretFile(database: ResolvedDatabase): string {
  if (database.kind === 'sqlite' && database.path !== ':memory:') return join(dirname(database.path), '.authnest', 'secret.key');
  return join('.authnest', 'secret.key');
}

/**
 * Validates raw options and applies defaults. Throws `AuthConfigError` listing every problem by option path:
 * a typo (unknown property) or an unsafe combination stops the boot.
 */
export function resolveAuthOptions(raw: AuthModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedAuthOptions {
  if (typeof raw !== 'object' || raw === null) throw new AuthConfigError(['options: must be an object']);
  // The database is validated by kind below; a host DataSource must not go through class-transformer.
  const problems = validationProblems(AuthModuleOptionsSchema, { ...raw, database: undefined }, '');
  const production = env.NODE_ENV === 'production';
  if (typeof raw.issuer === 'string' && !isSafeServerUrl(raw.issuer)) {
    problems.push('issuer: must be an https URL (http only on localhost) without query or fragment');
  }
  const issuer = typeof raw.issuer === 'string' ? raw.issuer.replace(/\/+$/, '') : '';
  const database = resolveDatabase(raw, problems);
  // The checks below read the shapes validated above: report shape problems rather than crash on them.
  if (problems.length > 0) throw new AuthConfigError(problems);
  const scopes = raw.scopes ?? [];
  const clients = (raw.clients ?? []).map((seed, index) => resolveClient(seed, index, new Set(scopes), problems));
  const seen = new Set<string>();
  clients.forEach((client, index) => {
    if (seen.has(client.clientId)) problems.push(`clients[${index}].clientId: '${client.clientId}' is listed twice`);
    seen.add(client.clientId);
  });
  const encryptionSecret = raw.signing?.encryptionSecret;
  if (production && !encryptionSecret) {
    problems.push('signing.encryptionSecret: required when NODE_ENV=production (private keys are encrypted at rest with it)');
  }
  const keyRotation = resolveKeyRotation(raw, problems);
  const flows = resolveFlowOptions(raw, problems);
  const oidc = resolveOpenIdOptions(raw, scopes, problems);
  const jwtBearerIssuers = resolveJwtBearerIssuers(raw, seen, problems);
  const deviceFlow = resolveDeviceFlowOptions(raw, issuer, problems);
  const registration = resolveRegistrationOptions(raw, scopes, problems);
  const resources = resolveResourceIndicators(raw, scopes, clients, problems);
  const dpop = resolveDpopOptions(raw, issuer, clients, problems);
  const redis = resolveRedisOptions(raw, problems);
  if (problems.length > 0) throw new AuthConfigError(problems);
  return {
    ...flows,
    issuer,
    database,
    accessToken: {
      format: raw.accessToken?.format ?? 'jwt',
      ttl: raw.accessToken?.ttl ?? 3600,
      audience: raw.accessToken?.audience ?? issuer,
    },
    resources,
    signing: {
      algorithm: raw.signing?.algorithm ?? 'ES256',
      encryptionSecret,
      secretFile: raw.signing?.secretFile ?? defaultSecretFile(database),
      ...keyRotation,
    },
    scopes,
    clients,
    resource: {
      leeway: raw.resource?.leeway ?? 5,
      jwtCacheTtl: raw.resource?.jwtCacheTtl ?? 300,
      opaqueCacheTtl: raw.resource?.opaqueCacheTtl ?? 0,
      realm: raw.resource?.realm ?? issuer,
    },
    clientSecretCacheTtl: raw.clientSecretCacheTtl ?? 300,
    clientCacheTtl: raw.clientCacheTtl ?? 0,
    fastPath: raw.fastPath ?? false,
    purgeInterval: raw.purgeInterval ?? 3600,
    oidc,
    deviceFlow,
    clientAssertions: resolveClientAssertions(raw),
    registration,
    par: resolvePushedAuthorizationOptions(raw),
    dpop,
    audit: resolveAuditOptions(raw),
    jwtBearer: { issuers: jwtBearerIssuers },
    redis,
    requestIds: resolveRequestIdOptions(raw),
    production,
  };
}
