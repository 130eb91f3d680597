#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runAuthnestCli } from './authnest.js';
import type { CliOutput } from './cli-output.js';

/** `authnest migrate ...` with `argv` with or without the word `migrate` (the former API); resolves the exit code. */
export function runMigrateCli(argv: readonly string[], output: CliOutput = console): Promise<number> {
  return runAuthnestCli(argv[0] === 'migrate' ? argv : ['migrate', ...argv], { output });
}

/** The former entry point of `authnest migrate` (`node dist/src/cli/migrate.js [migrate] ...`), kept for scripts. */
function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await runMigrateCli(process.argv.slice(2));
}
