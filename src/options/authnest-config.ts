import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions, PostgresDatabaseOptions, SqliteDatabaseOptions } from './auth-options.interface.js';

/** The environment variables the `authnest` CLI reads, and `readAuthnestConfig()` for apps that want the same. */
export const AUTHNEST_ENV = {
  /** Path of a config file (JSON, or a JS module whose default export is the config). */
  config: 'AUTHNEST_CONFIG',
  /** PostgreSQL connection URL. */
  databaseUrl: 'AUTHNEST_DATABASE_URL',
  /** Schema of authnest's tables on PostgreSQL. */
  databaseSchema: 'AUTHNEST_DATABASE_SCHEMA',
  /** Path of the SQLite file (when no PostgreSQL URL is set). */
  sqlitePath: 'AUTHNEST_SQLITE_PATH',
  /** `signing.encryptionSecret` (32+ characters). */
  encryptionSecret: 'AUTHNEST_ENCRYPTION_SECRET',
} as const;

/**
 * What an app and the `authnest` CLI share: where the database is and the secret keys are sealed with, plus any other
 * `AuthModule` options the admin commands should see (`signing`, lifetimes, `scopes`, `redis`...). A config file
 * (`authnest --config FILE`, or `AUTHNEST_CONFIG`) holds one: JSON, or a JS module whose default export is one. An app
 * spreads `authModuleOptionsOf(config)` into `AuthModule.forRoot()` so both read the same values.
 */
export interface AuthnestConfig extends Omit<Partial<AuthModuleOptions>, 'database' | 'clients'> {
  /**
   * The database: a SQLite file or PostgreSQL (a host-owned DataSource cannot be described in a file).
   * @default from AUTHNEST_DATABASE_URL (+ AUTHNEST_DATABASE_SCHEMA) or AUTHNEST_SQLITE_PATH; else none
   */
  database?: SqliteDatabaseOptions | PostgresDatabaseOptions;
  /**
   * The secret signing keys (and `client_secret_jwt` secrets) are sealed with: `signing.encryptionSecret`. Prefer
   * the environment variable to a file.
   * @default signing.encryptionSecret, else AUTHNEST_ENCRYPTION_SECRET
   */
  encryptionSecret?: string;
}

/** Where `readAuthnestConfig()` looks. */
export interface ReadAuthnestConfigOptions {
  /**
   * A config file: `.json`, or `.js` / `.mjs` / `.cjs` (its default export).
   * @default AUTHNEST_CONFIG, else no file
   */
  file?: string;
  /**
   * The environment to read.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** The database the environment names, if any. */
export function databaseFromEnvironment(env: NodeJS.ProcessEnv): SqliteDatabaseOptions | PostgresDatabaseOptions | undefined {
  const url = env[AUTHNEST_ENV.databaseUrl];
  const path = env[AUTHNEST_ENV.sqlitePath];
  if (url && path) throw new AuthConfigError([`set ${AUTHNEST_ENV.databaseUrl} or ${AUTHNEST_ENV.sqlitePath}, not both`], 'authnest');
  const schema = env[AUTHNEST_ENV.databaseSchema];
  if (url) return { type: 'postgres', url, ...(schema ? { schema } : {}) };
  if (schema) throw new AuthConfigError([`${AUTHNEST_ENV.databaseSchema} applies to PostgreSQL only (set ${AUTHNEST_ENV.databaseUrl})`], 'authnest');
  return path ? { type: 'sqlite', path } : undefined;
}

async function loadFile(file: string): Promise<unknown> {
  const path = resolve(file);
  const extension = extname(path);
  try {
    if (extension === '.json') return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (['.js', '.mjs', '.cjs'].includes(extension)) {
      const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
      return loaded.default ?? loaded;
    }
  } catch (error) {
    // The message names the file and the problem (not found, a JSON syntax error), never the file's contents.
    const { code, name } = error as NodeJS.ErrnoException;
    throw new AuthConfigError([`config file ${file}: ${code === 'ENOENT' || code === 'ERR_MODULE_NOT_FOUND' ? 'not found' : `cannot be read (${name})`}`], 'authnest');
  }
  throw new AuthConfigError([`config file ${file}: must be .json, .js, .mjs or .cjs`], 'authnest');
}

/**
 * Reads the config the CLI uses: the config file's values (when there is one), with the environment filling what the
 * file leaves out (the database, the encryption secret). Throws `AuthConfigError` for a missing or malformed file.
 */
export async function readAuthnestConfig(options: ReadAuthnestConfigOptions = {}): Promise<AuthnestConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? env[AUTHNEST_ENV.config];
  const loaded = file ? await loadFile(file) : {};
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw new AuthConfigError([`config file ${file}: must hold an object ({ database, encryptionSecret, ... })`], 'authnest');
  }
  const config = { ...(loaded as AuthnestConfig) };
  config.database ??= databaseFromEnvironment(env);
  const secret = config.encryptionSecret ?? config.signing?.encryptionSecret ?? env[AUTHNEST_ENV.encryptionSecret];
  if (secret !== undefined && secret !== '') config.encryptionSecret = secret;
  return config;
}

/** The `AuthModule` options of a config: `encryptionSecret` moved into `signing`. Spread it into `forRoot()`. */
export function authModuleOptionsOf(config: AuthnestConfig): Partial<AuthModuleOptions> {
  const { encryptionSecret, ...options } = config;
  if (encryptionSecret === undefined) return options;
  return { ...options, signing: { ...options.signing, encryptionSecret } };
}
