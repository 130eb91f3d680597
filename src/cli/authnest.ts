#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runProgram } from './cli-program.js';
import type { CliContext } from './cli-run.js';

/**
 * `authnest <command> ...` (see `authnest --help`): migrate, clients, keys, grants, purge. Resolves the exit code: 0
 * done, 1 failed, 2 bad usage. `context` replaces the output, environment and clock (tests).
 */
export function runAuthnestCli(argv: readonly string[], context: Partial<CliContext> = {}): Promise<number> {
  // Arguments that start with an option (`authnest --sqlite F`) are `migrate`'s, as in earlier versions.
  const first = argv[0];
  const legacyMigrate = first !== undefined && first.startsWith('-') && first !== '-h' && first !== '--help';
  const args = legacyMigrate ? ['migrate', ...argv] : [...argv];
  return runProgram(args, { output: context.output ?? console, env: context.env ?? process.env, clock: context.clock });
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = await runAuthnestCli(process.argv.slice(2));
