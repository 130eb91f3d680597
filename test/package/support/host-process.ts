import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cleanEnv } from './commands.js';
import type { Database, Platform } from '../../support/matrix.js';
import type { HostBuild } from './workspace.js';

/** Must match READY_PREFIX in test/package/host/main.ts. */
const READY_PREFIX = 'authnest-host ready ';

/** A running host app (a real `node dist/main.js` process). */
export interface RunningHost {
  url: string;
  /** `commonjs` or `esm`, as the running code saw itself. */
  moduleSystem: string;
  /** The seeded client's secret (random per boot). */
  clientSecret: string;
  /** Every secret the host was given (client secret, encryption secret): none may appear in its output. */
  secrets: string[];
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, wait for the exit (Nest's shutdown hooks run), drop the database. Resolves the exit code or signal. */
  stop(): Promise<string>;
}

/** Boots a compiled host on 127.0.0.1 port 0 with a fresh SQLite file, or a fresh schema of TEST_DATABASE_URL. */
export async function startHost(host: HostBuild, platform: Platform, db: Database): Promise<RunningHost> {
  const database = freshDatabase(host, db);
  const clientSecret = randomBytes(18).toString('base64url');
  const encryptionSecret = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, [host.main], {
    cwd: host.dir,
    env: cleanEnv({
      ...database.env,
      HOST_PLATFORM: platform,
      HOST_CLIENT_SECRET: clientSecret,
      HOST_ENCRYPTION_SECRET: encryptionSecret,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  try {
    const ready = await waitForReady(child, () => output, exited, 90_000);
    return {
      url: `http://127.0.0.1:${ready.port}`,
      moduleSystem: ready.moduleSystem,
      clientSecret,
      secrets: [clientSecret, encryptionSecret],
      output: () => output,
      stop: async () => {
        const how = await stopProcess(child, exited);
        await database.drop();
        return how;
      },
    };
  } catch (error) {
    await stopProcess(child, exited);
    await database.drop();
    throw error;
  }
}

async function waitForReady(
  child: ChildProcess,
  output: () => string,
  exited: Promise<string>,
  timeoutMs: number,
): Promise<{ port: number; moduleSystem: string }> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | undefined;
  void exited.then((how) => (exit = how));
  while (Date.now() < deadline) {
    const line = output().split('\n').find((candidate) => candidate.startsWith(READY_PREFIX));
    if (line) return JSON.parse(line.slice(READY_PREFIX.length)) as { port: number; moduleSystem: string };
    if (exit !== undefined) throw new Error(`the host exited (${exit}) before listening:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the host (pid ${child.pid}) did not listen within ${timeoutMs} ms:\n${output()}`);
}

async function stopProcess(child: ChildProcess, exited: Promise<string>): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

function freshDatabase(host: HostBuild, db: Database): { env: Record<string, string>; drop(): Promise<void> } {
  if (db === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `pkg_${randomBytes(5).toString('hex')}`;
    return {
      env: { HOST_DATABASE_URL: url, HOST_DATABASE_SCHEMA: schema },
      drop: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(host.dir, 'db-'));
  return { env: { HOST_SQLITE_PATH: join(dir, 'authnest.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
