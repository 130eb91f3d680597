import { randomBytes } from 'node:crypto';
import { AuthConfigError } from '../options/auth-config.error.js';
import type { AccessTokenFormat, AuthModuleOptions } from '../options/auth-options.interface.js';
import type { AuthTestingModuleOptions, TestTokenDefaults } from './auth-testing-options.interface.js';

/** DI token of the resolved `TestTokenDefaults` (`ResolvedTestDefaults`). */
export const AUTH_TESTING_DEFAULTS = Symbol('authnest:testing-defaults');

/** What minted tokens contain unless told otherwise, with every default applied. */
export interface ResolvedTestDefaults {
  issuer: string;
  audience: string;
  tokenFormat: AccessTokenFormat;
  clientId: string;
  subject: string;
  defaultScopes: string[];
  expiresIn: number;
}

export const DEFAULT_TEST_ISSUER = 'http://localhost';

/**
 * Throws `AuthConfigError` under `NODE_ENV=production`: the testing module mints tokens for anyone who asks and
 * must never serve a real app.
 */
export function refuseProduction(moduleName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production') {
    throw new AuthConfigError(
      [`NODE_ENV: is 'production'; ${moduleName} mints tokens on demand and must never run in production (use AuthModule or AuthResourceModule)`],
      moduleName,
    );
  }
}

/** The token defaults of `options`, checked (`AuthConfigError` naming the option). */
export function resolveTestDefaults(options: TestTokenDefaults, moduleName: string): ResolvedTestDefaults {
  const issuer = (options.issuer ?? DEFAULT_TEST_ISSUER).replace(/\/+$/, '');
  const resolved: ResolvedTestDefaults = {
    issuer,
    audience: options.audience ?? issuer,
    tokenFormat: options.tokenFormat ?? 'jwt',
    clientId: options.clientId ?? 'test-client',
    subject: options.subject ?? 'test-user',
    defaultScopes: [...(options.defaultScopes ?? [])],
    expiresIn: options.expiresIn ?? 3600,
  };
  const problems: string[] = [];
  if (resolved.tokenFormat !== 'jwt' && resolved.tokenFormat !== 'opaque') problems.push("tokenFormat: must be one of jwt, opaque");
  if (!Number.isInteger(resolved.expiresIn) || resolved.expiresIn <= 0) problems.push('expiresIn: must be a positive whole number of seconds');
  for (const [name, value] of [['clientId', resolved.clientId], ['subject', resolved.subject], ['audience', resolved.audience]] as const) {
    if (typeof value !== 'string' || value === '') problems.push(`${name}: must be a non-empty string`);
  }
  if (problems.length > 0) throw new AuthConfigError(problems, moduleName);
  return resolved;
}

/**
 * The `AuthModule` options of the testing server: `server` over the testing defaults (in-memory SQLite, a random
 * encryption secret so nothing is written to disk, no purge timer), with the issuer, audience and realm of `defaults`.
 */
export function testingServerOptions(options: AuthTestingModuleOptions, defaults: ResolvedTestDefaults, realm?: string): AuthModuleOptions {
  const server = options.server ?? {};
  return {
    purgeInterval: 0,
    ...server,
    database: server.database ?? { type: 'sqlite', path: ':memory:' },
    issuer: defaults.issuer,
    signing: { encryptionSecret: randomBytes(32).toString('base64url'), ...server.signing },
    accessToken: { ...server.accessToken, audience: defaults.audience },
    ...(realm !== undefined || server.resource ? { resource: { ...server.resource, ...(realm !== undefined ? { realm } : {}) } } : {}),
  };
}
