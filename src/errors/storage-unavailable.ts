import { TemporarilyUnavailableError } from './oauth-errors.js';

/** Seconds a client is asked to wait (`Retry-After`) before it retries a request the storage could not serve. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * PostgreSQL SQLSTATEs (Appendix A of its manual) that say the database cannot serve anyone right now, whatever the
 * request: class 08 (connection exception) and class 53 (insufficient resources: too many connections, disk full,
 * out of memory) by their first two characters; the server shutting down, crashing or starting up (57P01-57P03); a
 * statement cancelled by `statement_timeout` (57014); `lock_timeout` (55P03); a write on a server that is read-only
 * after a failover (25006).
 */
const POSTGRES_CLASSES = ['08', '53'];
const POSTGRES_STATES = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '25006']);

/** better-sqlite3 result codes (and their extended `SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_WRITE`, ...): locked, read-only, I/O. */
const SQLITE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_FULL'];

/** Node's socket errors: the database host refused, reset, timed out or cannot be reached. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN']);

/**
 * What node-postgres and pg-pool throw without a code when a connection breaks or cannot be had in time
 * (`connectionTimeoutMillis`, `query_timeout`), and TypeORM's wrapping of them.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Query read timeout$/,
];

function codeIsUnavailable(code: string): boolean {
  if (/^[0-9A-Z]{5}$/.test(code)) return POSTGRES_STATES.has(code) || POSTGRES_CLASSES.includes(code.slice(0, 2));
  if (code.startsWith('SQLITE_')) return SQLITE_PREFIXES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
  return SOCKET_CODES.has(code);
}

/** The error itself, then what it wraps: TypeORM's `driverError`, `cause`, an `AggregateError`'s errors. */
function* chainOf(error: unknown, depth = 0): Generator<object> {
  if (typeof error !== 'object' || error === null || depth > 4) return;
  yield error;
  const { driverError, cause, errors } = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (driverError !== error) yield* chainOf(driverError, depth + 1);
  if (cause !== error) yield* chainOf(cause, depth + 1);
  if (Array.isArray(errors)) for (const inner of errors.slice(0, 4)) yield* chainOf(inner, depth + 1);
}

/**
 * Whether `error` says the storage is unreachable, locked or read-only for now (the database stopped, restarting,
 * out of connections, a connection or pool timeout, SQLite's lock held elsewhere), as opposed to a failure of this
 * request (a constraint, a missing table, a bug). Only such failures become 503 `temporarily_unavailable`; every
 * other error keeps its answer.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (const link of chainOf(error)) {
    const { code, message } = link as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && codeIsUnavailable(code)) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

/**
 * 503 `temporarily_unavailable` with `Retry-After` (RFC 6749 sections 4.1.2.1 and 5.2, RFC 9110 section 10.2.3): the
 * storage cannot serve the request now; nothing was issued, and the same request may be sent again.
 */
export class StorageUnavailableError extends TemporarilyUnavailableError {
  constructor() {
    super('The server cannot reach its storage right now; retry later', { headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) } });
  }
}

/** `StorageUnavailableError` for a storage outage (see `isStorageUnavailable`), else `error` as it is. */
export function unavailableIfStorageDown(error: unknown): unknown {
  return isStorageUnavailable(error) ? new StorageUnavailableError() : error;
}
