import Database from 'better-sqlite3';
import pg from 'pg';
import type { AuthDatabaseOptions } from '../../src/index.js';

/** authnest's tables, the only names the inspector accepts. */
export type AuthnestTable =
  | 'authnest_clients'
  | 'authnest_access_tokens'
  | 'authnest_signing_keys'
  | 'authnest_authorization_codes'
  | 'authnest_refresh_tokens'
  | 'authnest_interactions'
  | 'authnest_sessions'
  | 'authnest_rate_limits';

/**
 * Grey-box access to a test app's database through its own connection (better-sqlite3 or pg), independent
 * of the code under test: read rows as stored, and break or repair the schema for fault tests.
 */
export interface DbInspector {
  count(table: AuthnestTable): Promise<number>;
  rows(table: AuthnestTable): Promise<Record<string, unknown>[]>;
  rename(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

export async function inspectDatabase(database: AuthDatabaseOptions): Promise<DbInspector> {
  if ('dataSource' in database) throw new Error('inspectDatabase: pass the SQLite or PostgreSQL options the app was booted with');
  if (database.type === 'sqlite') {
    const db = new Database(database.path ?? 'authnest.sqlite', { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return {
      count: async (table) => (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n,
      rows: async (table) => db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[],
      rename: async (from, to) => void db.exec(`ALTER TABLE "${from}" RENAME TO "${to}"`),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`SET search_path TO "${database.schema ?? 'public'}"`);
  return {
    count: async (table) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0]!.n,
    rows: async (table) => (await client.query<Record<string, unknown>>(`SELECT * FROM "${table}"`)).rows,
    rename: async (from, to) => void (await client.query(`ALTER TABLE "${from}" RENAME TO "${to}"`)),
    close: () => client.end(),
  };
}
