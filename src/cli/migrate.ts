#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { applyMigrations, buildDataSourceOptions, ensurePostgresSchema } from '../persistence/data-source.factory.js';
import { DATABASE_FLAGS, DATABASE_USAGE, describeTarget, readDatabaseTarget, redact, type DatabaseTarget } from './database-target.js';

const USAGE = `usage: authnest migrate ${DATABASE_USAGE}`;

type Target = DatabaseTarget;

/** Where the CLI writes; tests pass their own. */
export interface MigrateOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Reads `[migrate] --sqlite PATH | --url URL [--schema NAME]` into a database target, or an error message. */
export function parseMigrateArgs(argv: readonly string[]): Target | string {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: DATABASE_FLAGS, allowPositionals: true });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'migrate')) return 'unknown command';
  return readDatabaseTarget(values);
}

/** `authnest migrate`: runs authnest's pending migrations and prints which ran. Resolves the exit code. */
export async function runMigrateCli(argv: readonly string[], output: MigrateOutput = console): Promise<number> {
  const target = parseMigrateArgs(argv);
  if (typeof target === 'string') {
    output.error(`authnest: ${target}\n${USAGE}`);
    return 2;
  }
  let dataSource: DataSource | undefined;
  try {
    if (target.kind === 'postgres' && target.schema) await ensurePostgresSchema(target.url, target.schema);
    dataSource = new DataSource(buildDataSourceOptions(target));
    await dataSource.initialize();
    const ran = await applyMigrations(dataSource, 'run');
    output.log(`authnest: ${describeTarget(target)}: ${ran.length === 0 ? 'no pending migrations' : `ran ${ran.join(', ')}`}`);
    return 0;
  } catch (error) {
    output.error(`authnest: migration failed on ${describeTarget(target)}: ${redact((error as Error).message, target)}`);
    return 1;
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = await runMigrateCli(process.argv.slice(2));
