import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli-run.js';
import { clientsCommand } from './commands/clients.command.js';
import { grantsCommand, purgeCommand } from './commands/grants.command.js';
import { keysCommand } from './commands/keys.command.js';
import { migrateCommand } from './commands/migrate.command.js';

const HELP_FOOTER = `
Every command reads the database and the encryption secret as the app does: --config FILE (or $AUTHNEST_CONFIG),
else $AUTHNEST_DATABASE_URL ($AUTHNEST_DATABASE_SCHEMA) or $AUTHNEST_SQLITE_PATH, and $AUTHNEST_ENCRYPTION_SECRET
(or --secret-file); flags override them. Commands other than migrate refuse a database whose migrations are behind.
Exit codes: 0 done, 1 failed, 2 bad usage.`;

/** The `authnest` program: commander parses, each command's action reports its exit code through `done`. */
export function buildProgram(context: CliContext, done: (code: number) => void): Command {
  const program = new Command('authnest')
    .description('administer an authnest authorization server: migrations, clients, signing keys, grants')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.output.log(text.replace(/\n$/, '')),
      writeErr: (text) => context.output.error(text.replace(/\n$/, '')),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', HELP_FOOTER);
  for (const command of [migrateCommand(context, done), clientsCommand(context, done), keysCommand(context, done), grantsCommand(context, done), purgeCommand(context, done)]) {
    program.addCommand(command);
  }
  // Settings set on the program reach subcommands only when copied (addCommand does not copy them).
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError('(add --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the program on `argv` (without node and script); resolves the exit code: 0 done, 1 failed, 2 bad usage. */
export async function runProgram(argv: readonly string[], context: CliContext): Promise<number> {
  let code: number | undefined;
  const program = buildProgram(context, (result) => (code = result));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help, --version and a bare group name (which prints its help) end here too.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return 2;
  }
  return code ?? 0;
}
