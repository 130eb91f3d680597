#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import type { ResolvedDatabase } from '../options/resolved-options.js';
import { applyMigrations, buildDataSourceOptions, ensurePostgresSchema } from '../persistence/data-source.factory.js';

const USAGE = 'usage: authnest migrate --sqlite PATH | --url postgres://USER:PASS@HOST/DB [--schema NAME]';
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

type Target = Exclude<ResolvedDatabase, { kind: 'existing' }>;

/** Where the CLI writes; tests pass their own. */
export interface MigrateOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Reads `[migrate] --sqlite PATH | --url URL [--schema NAME]` into a database target, or an error message. */
export function parseMigrateArgs(argv: readonly string[]): Target | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { sqlite: { type: 'string' }, url: { type: 'string' }, schema: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'migrate')) return 'unknown command';
  if ((values.sqlite === undefined) === (values.url === undefined)) return 'pass exactly one of --sqlite and --url';
  if (values.sqlite !== undefined) {
    if (values.schema !== undefined) return '--schema applies to PostgreSQL only';
    if (values.sqlite === '') return '--sqlite needs a file path';
    return { kind: 'sqlite', path: values.sqlite, migrations: 'run' };
  }
  if (!/^postgres(ql)?:\/\//.test(values.url ?? '')) return '--url must be a postgres:// URL';
  if (values.schema !== undefined && !SCHEMA.test(values.schema)) return '--schema must be a plain SQL identifier';
  return { kind: 'postgres', url: values.url!, schema: values.schema, poolSize: 1, migrations: 'run' };
}

/** Names the target without credentials. */
function describeTarget(target: Target): string {
  if (target.kind === 'sqlite') return `SQLite file ${target.path}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.host}${url.pathname}${target.schema ? `, schema ${target.schema}` : ''}`;
}

/** Hides the connection URL and its password from driver messages. */
function redact(message: string, target: Target): string {
  if (target.kind === 'sqlite') return message;
  const password = decodeURIComponent(new URL(target.url).password);
  const hidden = message.split(target.url).join('<url>');
  return password ? hidden.split(password).join('***') : hidden;
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
