import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

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

/** Drops and recreates the benchmark's own database (only that one) and resolves its URL. */
export async function freshBenchDatabase(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${BENCH_DATABASE}`;
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
