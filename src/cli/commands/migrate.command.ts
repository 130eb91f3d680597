import { Command } from 'commander';
import { applyMigrations } from '../../persistence/data-source.factory.js';
import { readMigrationNames } from '../../persistence/migration-status.js';
import { withDataSource } from '../admin-context.js';
import { printJson } from '../cli-output.js';
import { reported, withCommonFlags, type CliContext, type CommonFlags } from '../cli-run.js';
import { readCliSettings } from '../cli-settings.js';
import { describeTarget } from '../database-target.js';

/**
 * `authnest migrate [--check]`: runs authnest's pending migrations (as an app with `migrations: 'run'` does at boot,
 * under the same lock), or with `--check` only tells whether some are pending (exit 1 when they are). Needs no secret.
 */
export function migrateCommand(context: CliContext, done: (code: number) => void): Command {
  const { output } = context;
  return withCommonFlags(new Command('migrate').description("run authnest's pending migrations (before deploying a new version)"))
    .option('--check', 'change nothing: exit 1 when migrations are pending')
    .action(async (flags: CommonFlags & { check?: boolean }) => {
      done(await reported(context, 'migrate', async (setTarget) => {
        const { target } = await readCliSettings(flags, context.env);
        setTarget(target);
        if (flags.check) {
          const status = await withDataSource(target, readMigrationNames);
          const upToDate = status.pending.length === 0;
          if (flags.json) printJson(output, { ...status, upToDate });
          else output.log(`authnest: ${describeTarget(target)}: ${upToDate ? 'migrations are up to date' : `migrations are behind; pending: ${status.pending.join(', ')}`}`);
          return upToDate ? 0 : 1;
        }
        const ran = await withDataSource(target, (dataSource) => applyMigrations(dataSource, 'run'), true);
        if (flags.json) printJson(output, { ran });
        else output.log(`authnest: ${describeTarget(target)}: ${ran.length === 0 ? 'no pending migrations' : `ran ${ran.join(', ')}`}`);
        return 0;
      }));
    });
}
