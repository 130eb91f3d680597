import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { AuthDatabaseOptions } from '../../src/index.js';
import { TEST_SECRET } from '../support/test-app.js';

/**
 * The built bin (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). AUTHNEST_TEST_CLI_BIN points at
 * another build of it (e.g. one compiled with `--outDir` while something else rebuilds dist/).
 */
export const BIN = process.env.AUTHNEST_TEST_CLI_BIN ?? fileURLToPath(new URL('../../dist/src/cli/authnest.js', import.meta.url));

/** What a run of the bin printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/src/cli/authnest.js ...args` in a clean environment (PATH, the test encryption secret unless
 * `env` says otherwise, and `env`), in `cwd`.
 */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliRun> {
  const base: Record<string, string | undefined> = { PATH: process.env.PATH, AUTHNEST_ENCRYPTION_SECRET: TEST_SECRET, ...env };
  const clean = Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: clean, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A run that must succeed; resolves its stdout. */
export async function cliOk(args: readonly string[], env?: Record<string, string | undefined>): Promise<string> {
  const run = await runCli(args, env);
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout;
}

/** A run with `--json` that must succeed; resolves the parsed output. */
export async function cliJson<T = Record<string, unknown>>(args: readonly string[], env?: Record<string, string | undefined>): Promise<T> {
  return JSON.parse(await cliOk([...args, '--json'], env)) as T;
}

/** The database flags of a test database. */
export function targetFlags(database: AuthDatabaseOptions): string[] {
  if ('dataSource' in database) throw new Error('not a CLI target');
  if (database.type === 'sqlite') return ['--sqlite', database.path!];
  return ['--url', database.url, '--schema', database.schema!];
}

/** The same database as environment variables. */
export function targetEnv(database: AuthDatabaseOptions): Record<string, string> {
  if ('dataSource' in database) throw new Error('not a CLI target');
  if (database.type === 'sqlite') return { AUTHNEST_SQLITE_PATH: database.path! };
  return { AUTHNEST_DATABASE_URL: database.url, AUTHNEST_DATABASE_SCHEMA: database.schema! };
}

/** Asserts nothing printed holds the database password or any of `secrets`. */
export function expectNothingSecret(run: CliRun, database: AuthDatabaseOptions, secrets: readonly string[] = []): void {
  const printed = `${run.stdout}\n${run.stderr}`;
  if (!('dataSource' in database) && database.type === 'postgres') {
    // The test cluster's password is `authnest`, a word every line holds: look for it as a credential.
    const url = new URL(database.url);
    if (url.password) expect(printed).not.toContain(`:${url.password}@`);
    expect(printed).not.toContain(database.url);
  }
  for (const secret of secrets) expect(printed).not.toContain(secret);
}
