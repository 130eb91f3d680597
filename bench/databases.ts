import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Every benchmark database's name starts so (one per server: `authnest_bench_<name>`). */
const BENCH_DATABASE = 'authnest_bench';

/** Where PostgreSQL is for the run, and how to let go of it. */
export interface PostgresTarget {
  /** A server URL whose user may create databases. */
  adminUrl: string;
  release(): void;
}

/**
 * PostgreSQL for the benchmark: BENCH_DATABASE_URL (or TEST_DATABASE_URL) when set; else a throwaway cluster from
 * .ci/start-postgres.sh when PostgreSQL's binaries are installed; else null (the PostgreSQL rounds are skipped).
 */
export function postgresTarget(repoRoot: string): PostgresTarget | null {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return { adminUrl: given, release: () => undefined };
  const script = join(repoRoot, '.ci/start-postgres.sh');
  if (!existsSync(script)) return null;
  const state = join(mkdtempSync(join(tmpdir(), 'authnest-bench-pg-')), 'datadir');
  try {
    const url = execFileSync('bash', [script, '--state-file', state], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return {
      adminUrl: url,
      release: () => {
        execFileSync('bash', [join(repoRoot, '.ci/stop-postgres.sh'), state], { stdio: 'ignore' });
        rmSync(state, { force: true });
      },
    };
  } catch {
    return null;
  }
}

/**
 * Drops and recreates one of the benchmark's own databases (`authnest_bench_<name>`, only that one; `name` is a plain
 * identifier) and resolves its URL.
 */
export async function freshBenchDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]{1,32}$/.test(name)) throw new Error(`not a database name: ${name}`);
  const database = `${BENCH_DATABASE}_${name}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Rows in authnest_access_tokens of a SQLite file or a PostgreSQL URL. */
export async function accessTokenRows(database: { sqlitePath: string } | { url: string }): Promise<number> {
  if ('url' in database) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM authnest_access_tokens');
      return Number(rows[0]!.count);
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database.sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS count FROM authnest_access_tokens').get() as { count: number }).count;
  } finally {
    db.close();
  }
}
