import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/** How `pg_ctl stop` ends the server: `fast` rolls back and disconnects every session; `immediate` kills it (a crash). */
export type StopMode = 'fast' | 'immediate';

/**
 * A PostgreSQL cluster of one test file's own (started by `.ci/start-postgres.sh`), stopped and started again while
 * an app uses it. Never the cluster behind TEST_DATABASE_URL: other suites share that one.
 */
export interface PgCluster {
  url: string;
  stop(mode: StopMode): Promise<void>;
  start(): Promise<void>;
  /**
   * Suspends every process of the cluster (SIGSTOP): connections stay open and connects are accepted by the kernel,
   * but nothing answers, as when the database host hangs or the network drops packets. `thaw` resumes them.
   */
  freeze(): void;
  thaw(): void;
  /** Stops the cluster and removes its directory. */
  destroy(): Promise<void>;
}

/** The directory of the newest PostgreSQL server binaries, or undefined when none is installed. */
export function postgresBinaries(): string | undefined {
  if (process.env.PG_BINDIR) return existsSync(join(process.env.PG_BINDIR, 'pg_ctl')) ? process.env.PG_BINDIR : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'pg_ctl')));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length > 0 ? join(root, versions.at(-1)!, 'bin') : undefined;
}

/** The postmaster of a data directory and its children (from /proc), by pid. */
function clusterProcesses(data: string): number[] {
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // The parent pid is the 4th field, after the command name in parentheses (which may hold spaces).
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** Runs a command to its exit (not to the close of its pipes, which a daemon it starts may inherit). */
function run(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      child.stdout.destroy();
      child.stderr.destroy();
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err.trim()}`));
    });
  });
}

/**
 * Starts a throwaway cluster with `.ci/start-postgres.sh`. Its commits are made durable before they are acknowledged
 * (`synchronous_commit = on`, PostgreSQL's default, which the script turns off for speed): an immediate stop would
 * otherwise lose acknowledged commits, and "a response implies a durable row" could not be judged.
 */
export async function startCluster(): Promise<PgCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('no PostgreSQL server binaries');
  const stateDir = mkdtempSync(join(tmpdir(), 'authnest-faults-'));
  const stateFile = join(stateDir, 'pg.datadir');
  const url = (await run('bash', ['.ci/start-postgres.sh', '--state-file', stateFile])).trim();
  const data = readFileSync(stateFile, 'utf8').trim();
  const base = dirname(data);
  const port = new URL(url).port;
  // As root, the server runs as the `postgres` OS user (see start-postgres.sh), and so must pg_ctl.
  const pgCtl = (args: string[]) =>
    process.getuid?.() === 0
      ? run('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, ...args], base)
      : run(join(bin, 'pg_ctl'), ['-D', data, ...args], base);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET synchronous_commit = on`);
  } finally {
    await client.end();
  }
  let frozen: number[] = [];
  return {
    url,
    stop: async (mode) => void (await pgCtl(['stop', '-m', mode, '-w', '-t', '30'])),
    start: async () => void (await pgCtl(['start', '-w', '-t', '30', '-l', join(base, 'postgres.log'), '-o', `-p ${port}`])),
    freeze: () => {
      frozen = clusterProcesses(data);
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw: () => {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      frozen = [];
    },
    destroy: async () => {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      await run('bash', ['.ci/stop-postgres.sh', stateFile]).catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
