/** The part of a better-sqlite3 connection the tuning needs (TypeORM's `prepareDatabase` hands it over). */
export interface SqlitePragmas {
  pragma(source: string): unknown;
}

/**
 * authnest's settings for a file SQLite database in WAL mode. TypeORM's better-sqlite3 `prepareDatabase` option
 * takes it as is: `prepareDatabase: prepareSqliteConnection`; authnest's own DataSource uses it, and a host's
 * DataSource shared with authnest should too.
 *
 * - `busy_timeout = 5000`: a second process on the file waits for the write lock instead of failing at once.
 * - `synchronous = NORMAL`: SQLite's recommended setting with WAL. A commit survives the process crashing; only an
 *   OS crash or power loss can take back the last ones. FULL would fsync on every commit (about 0.7 ms here, every
 *   token issued).
 * - `wal_autocheckpoint = 10000` pages (about 40 MB of WAL) instead of 1,000: each checkpoint fsyncs twice and
 *   copies every page written since the last one; token rows hit random pages of the hash index, so a checkpoint every
 *   1,000 pages ran every few hundred tokens and took a quarter of the token endpoint's time. A page rewritten many
 *   times between checkpoints is copied once.
 * - `journal_size_limit = 64 MiB`: the WAL file is cut back to this size after a checkpoint resets it.
 */
export function prepareSqliteConnection(db: SqlitePragmas): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}
