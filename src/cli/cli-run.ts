import type { Command } from 'commander';
import { AuthAdminError } from '../admin/auth-admin.error.js';
import type { AuthAdminService } from '../admin/auth-admin.service.js';
import type { Clock } from '../internal/clock.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import { openAdminContext, preflight } from './admin-context.js';
import type { CliOutput } from './cli-output.js';
import { cliAuthOptions, CliError, readCliSettings, readEncryptionSecret, unknownSettings, type CliSettings, type DatabaseFlags } from './cli-settings.js';
import { describeTarget, redact, type DatabaseTarget } from './database-target.js';

/** What a run of the CLI reads besides its arguments (tests pass their own). */
export interface CliContext {
  output: CliOutput;
  env: NodeJS.ProcessEnv;
  /** Replaces authnest's Clock in the services the CLI boots (tests move time). */
  clock?: Clock;
}

/** The flags of every command that opens the database. */
export interface CommonFlags extends DatabaseFlags {
  json?: boolean;
}

/** Adds the database, config and output flags to a command. */
export function withCommonFlags(command: Command): Command {
  return command
    .option('--config <file>', 'config file: JSON, or a JS module whose default export is { database, encryptionSecret, ... } (default: $AUTHNEST_CONFIG)')
    .option('--sqlite <path>', 'the SQLite file (default: $AUTHNEST_SQLITE_PATH)')
    .option('--url <url>', 'a postgres:// URL (default: $AUTHNEST_DATABASE_URL)')
    .option('--schema <name>', 'the PostgreSQL schema of authnest\'s tables (default: $AUTHNEST_DATABASE_SCHEMA)')
    .option('--secret-file <path>', 'a file holding the encryption secret (default: $AUTHNEST_ENCRYPTION_SECRET, else the app\'s development secret file)')
    .option('--json', 'print JSON for scripts');
}

/** Runs `work` and turns its failure into a message and exit code; `target` (once known) names the database and hides its password. */
export async function reported(context: CliContext, what: string, work: (setTarget: (target: DatabaseTarget) => void) => Promise<number>): Promise<number> {
  let target: DatabaseTarget | undefined;
  try {
    return await work((known) => (target = known));
  } catch (error) {
    const where = target ? ` on ${describeTarget(target)}` : '';
    if (error instanceof CliError && error.exitCode === 2) {
      context.output.error(`authnest: ${error.message}\n(see authnest ${what} --help)`);
      return 2;
    }
    context.output.error(`authnest: ${what === 'migrate' ? 'migration' : what} failed${where}: ${reason(error, target)}`);
    return 1;
  }
}

function reason(error: unknown, target: DatabaseTarget | undefined): string {
  if (error instanceof CliError || error instanceof AuthAdminError) return error.message;
  if (error instanceof AuthConfigError) {
    if (error.problems.some((problem) => problem.includes('migrations are pending'))) return 'its migrations are behind: run `authnest migrate` first';
    return error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  // Booting, the key store opens the signing keys with the secret it was given (as an app instance does).
  if (message.includes('cannot be decrypted')) return 'the encryption secret does not open the stored keys: use the one the app has in signing.encryptionSecret';
  return target ? redact(message, target) : message;
}

/**
 * The common path of every command but `migrate`: reads the settings, checks the database (present, migrated), boots
 * authnest's services on it and hands `work` the admin service; always closes what it opened.
 */
export function withAdmin(
  context: CliContext,
  what: string,
  flags: CommonFlags,
  work: (admin: AuthAdminService, settings: CliSettings) => Promise<number | void>,
): Promise<number> {
  return reported(context, what, async (setTarget) => {
    const settings = await readCliSettings(flags, context.env);
    setTarget(settings.target);
    // Read before connecting: a missing secret is reported without touching the database.
    const secret = readEncryptionSecret(settings);
    const algorithm = await preflight(settings.target);
    const admin = await openAdminContext(cliAuthOptions(settings, secret, algorithm), unknownSettings(settings), context.clock);
    try {
      return (await work(admin.admin, settings)) ?? 0;
    } finally {
      await admin.close();
    }
  });
}
