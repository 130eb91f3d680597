#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runKeysCli } from './keys/keys-cli.js';
import { runMigrateCli } from './migrate.js';

/** `authnest migrate ...` (also without the word, as before) or `authnest keys ...`. Resolves the exit code. */
export function runAuthnestCli(argv: readonly string[]): Promise<number> {
  return argv[0] === 'keys' ? runKeysCli(argv) : runMigrateCli(argv);
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = await runAuthnestCli(process.argv.slice(2));
