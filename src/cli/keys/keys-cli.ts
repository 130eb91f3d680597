import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { AuthConfigError } from '../../options/auth-config.error.js';
import { applyMigrations, buildDataSourceOptions } from '../../persistence/data-source.factory.js';
import { SigningKeyStore } from '../../persistence/stores/signing-key.store.js';
import { SecretBox } from '../../tokens/secret-box.js';
import { describeTarget, redact } from '../database-target.js';
import { KeysCliError, readEncryptionSecret } from './cli-secret.js';
import { KEYS_USAGE, parseKeysArgs } from './keys-args.js';
import { listKeys } from './keys-list.js';
import { revokeKey } from './keys-revoke.js';
import { rotateKey } from './keys-rotate.js';

/** Where the CLI writes; tests pass their own. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/** What `runKeysCli` reads besides its arguments (tests pass their own). */
export interface KeysCliContext {
  output?: CliOutput;
  env?: NodeJS.ProcessEnv;
  /** Epoch milliseconds. */
  now?: () => number;
}

/**
 * `authnest keys list|rotate|revoke`: manages the signing keys of a database running apps use; they pick changes up
 * on their next key reload, without a restart. Refuses a database whose migrations are behind. Resolves the exit
 * code: 0 done, 1 failed, 2 bad arguments.
 */
export async function runKeysCli(argv: readonly string[], context: KeysCliContext = {}): Promise<number> {
  const { output = console, env = process.env, now = Date.now } = context;
  const parsed = parseKeysArgs(argv);
  if (typeof parsed === 'string') {
    output.error(`authnest: ${parsed}\n${KEYS_USAGE}`);
    return 2;
  }
  const { target } = parsed;
  let dataSource: DataSource | undefined;
  try {
    // Read before connecting: a missing secret is reported without touching the database.
    const secret = parsed.command === 'rotate' ? readEncryptionSecret(target, parsed.secretFile, env) : undefined;
    if (target.kind === 'sqlite' && !existsSync(target.path)) throw new KeysCliError(`no database file ${target.path}`);
    dataSource = new DataSource(buildDataSourceOptions(target));
    await dataSource.initialize();
    await applyMigrations(dataSource, 'check');
    const store = new SigningKeyStore({ dataSource, owned: true });
    if (parsed.command === 'list') return await listKeys(store, output);
    if (parsed.command === 'revoke') return await revokeKey(store, parsed.kid, now(), output);
    return await rotateKey(store, new SecretBox(secret!), parsed.algorithm, now(), output);
  } catch (error) {
    output.error(`authnest: keys ${parsed.command} failed on ${describeTarget(target)}: ${reason(error, target)}`);
    return 1;
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
  }
}

function reason(error: unknown, target: Parameters<typeof redact>[1]): string {
  if (error instanceof KeysCliError) return error.message;
  if (error instanceof AuthConfigError) return 'its migrations are behind: run `authnest migrate` first';
  return redact((error as Error).message, target);
}
