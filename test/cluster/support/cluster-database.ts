import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The database every instance of one cluster shares, as the environment the sample reads, and how to drop it. */
export interface ClusterDatabase {
  kind: 'postgres' | 'sqlite';
  /** DATABASE_URL (PostgreSQL) or SAMPLE_DB (the SQLite file, in WAL mode). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** Where the cluster suites run: PostgreSQL when TEST_DATABASE_URL is set (CI), else one shared SQLite file. */
export function clusterDatabaseKind(): ClusterDatabase['kind'] {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one suite: a new PostgreSQL database `authnest_cluster_<random>` on TEST_DATABASE_URL's server
 * (its role needs CREATEDB, as .ci/start-postgres.sh's has), or a SQLite file in a new temp dir.
 */
export async function freshClusterDatabase(): Promise<ClusterDatabase> {
  const admin = process.env.TEST_DATABASE_URL;
  if (admin) {
    const name = `authnest_cluster_${randomBytes(5).toString('hex')}`;
    await withAdmin(admin, async (client) => {
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } catch (error) {
        throw new Error(`the cluster suites create a database per suite; TEST_DATABASE_URL's role cannot: ${(error as Error).message}`);
      }
    });
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      env: { DATABASE_URL: url.toString() },
      drop: () => withAdmin(admin, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'authnest-cluster-db-'));
  return { kind: 'sqlite', env: { SAMPLE_DB: join(dir, 'cluster.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one query on the cluster's database (PostgreSQL or the SQLite file) and resolves its rows. */
export async function queryClusterDatabase(database: ClusterDatabase, sql: string): Promise<Record<string, unknown>[]> {
  if (database.kind === 'postgres') {
    return withAdmin(database.env.DATABASE_URL!, async (client) => (await client.query(sql)).rows as Record<string, unknown>[]);
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database.env.SAMPLE_DB!, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
