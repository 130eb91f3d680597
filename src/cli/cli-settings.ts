import { existsSync, readFileSync } from 'node:fs';
import type { ServerSetting } from '../admin/server-settings.js';
import type { AuthModuleOptions, SigningAlgorithm } from '../options/auth-options.interface.js';
import { AUTHNEST_ENV, readAuthnestConfig, type AuthnestConfig } from '../options/authnest-config.js';
import { defaultSecretFile } from '../options/resolve-options.js';
import type { DatabaseTarget } from './database-target.js';

/** A problem the CLI reports as is (no stack, nothing secret) and exits with `exitCode`: 1 failed, 2 bad usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** The flags every command that opens the database takes. */
export interface DatabaseFlags {
  config?: string;
  sqlite?: string;
  url?: string;
  schema?: string;
  secretFile?: string;
}

/** Where a command works: the database, the config read, and (when asked for) the encryption secret. */
export interface CliSettings {
  target: DatabaseTarget;
  config: AuthnestConfig;
  /** `--secret-file`, when given: the secret is read from it. */
  secretFile?: string;
}

/** The same floor as `signing.encryptionSecret`. */
const MIN_SECRET_LENGTH = 32;
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const NO_DATABASE = `no database: pass --sqlite PATH or --url postgres://..., --config FILE, or set ${AUTHNEST_ENV.sqlitePath} or ${AUTHNEST_ENV.databaseUrl}`;

/**
 * The database and config of a command: the config file (`--config`, else `AUTHNEST_CONFIG`), the environment filling
 * what it leaves out, and the flags overriding both. Never creates anything.
 */
export async function readCliSettings(flags: DatabaseFlags, env: NodeJS.ProcessEnv): Promise<CliSettings> {
  if (flags.sqlite !== undefined && flags.url !== undefined) throw new CliError('pass --sqlite or --url, not both', 2);
  if (flags.sqlite === '') throw new CliError('--sqlite needs a file path', 2);
  if (flags.secretFile === '') throw new CliError('--secret-file needs a file path', 2);
  if (flags.url !== undefined && !/^postgres(ql)?:\/\//.test(flags.url)) throw new CliError('--url must be a postgres:// URL', 2);
  if (flags.schema !== undefined && !SCHEMA.test(flags.schema)) throw new CliError('--schema must be a plain SQL identifier', 2);
  const config = await readAuthnestConfig({ file: flags.config, env });
  const database = flags.sqlite !== undefined ? { type: 'sqlite' as const, path: flags.sqlite } : flags.url !== undefined ? { type: 'postgres' as const, url: flags.url } : config.database;
  if (database === undefined) throw new CliError(NO_DATABASE, 2);
  if (typeof database !== 'object' || (database.type !== 'sqlite' && database.type !== 'postgres')) {
    throw new CliError("the config's database must be { type: 'sqlite', path } or { type: 'postgres', url, schema? }", 2);
  }
  let target: DatabaseTarget;
  if (database.type === 'sqlite') {
    if (flags.schema !== undefined) throw new CliError('--schema applies to PostgreSQL only', 2);
    target = { kind: 'sqlite', path: database.path ?? 'authnest.sqlite', migrations: 'check' };
  } else {
    const schema = flags.schema ?? database.schema;
    if (schema !== undefined && !SCHEMA.test(schema)) throw new CliError('the database schema must be a plain SQL identifier', 2);
    target = { kind: 'postgres', url: database.url, schema, poolSize: 2, migrations: 'check' };
  }
  return { target, config, secretFile: flags.secretFile };
}

/**
 * The encryption secret the app seals keys with: the file given with `--secret-file`, else the config's
 * `encryptionSecret` (or `AUTHNEST_ENCRYPTION_SECRET`), else the app's development secret file for this database.
 * Never a command-line value (visible to every user of the machine).
 */
export function readEncryptionSecret(settings: CliSettings): string {
  const { config, target } = settings;
  let secret: string | undefined = settings.secretFile === undefined ? config.encryptionSecret : undefined;
  if (secret === undefined) {
    const file = settings.secretFile ?? config.signing?.secretFile ?? defaultSecretFile(target);
    if (!existsSync(file)) throw new CliError(`no encryption secret: set ${AUTHNEST_ENV.encryptionSecret} or pass --secret-file (${file} does not exist)`);
    secret = readFileSync(file, 'utf8').trim();
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new CliError(`the encryption secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return secret;
}

/**
 * The `AuthModule` options the CLI boots with: the config's (its clients left out: the CLI seeds nothing), the target
 * database in `check` mode, the secret, no purge timer, and `signing.algorithm` from the config or else `algorithm`
 * (the database's signing algorithm, so the CLI never creates a key of another one).
 */
export function cliAuthOptions(settings: CliSettings, secret: string, algorithm: SigningAlgorithm | undefined): AuthModuleOptions {
  const { encryptionSecret: _secret, database: _database, clients: _clients, ...rest } = settings.config as AuthnestConfig & { clients?: unknown };
  const { target } = settings;
  const database = target.kind === 'sqlite' ? { type: 'sqlite' as const, path: target.path, migrations: 'check' as const } : { type: 'postgres' as const, url: target.url, schema: target.schema, poolSize: target.poolSize, migrations: 'check' as const };
  return {
    ...rest,
    issuer: rest.issuer ?? 'http://localhost',
    database,
    signing: { ...rest.signing, encryptionSecret: secret, algorithm: rest.signing?.algorithm ?? algorithm },
    purgeInterval: 0,
  };
}

/** The server settings the config does not give: client metadata is not checked against them (the app checks at use). */
export function unknownSettings(settings: CliSettings): ReadonlySet<ServerSetting> {
  const { config } = settings;
  const unknown: ServerSetting[] = [];
  if (config.scopes === undefined) unknown.push('scopes');
  if (config.resources === undefined) unknown.push('resources');
  if (config.dpop === undefined) unknown.push('dpop');
  return new Set(unknown);
}
