import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidGrantError } from './oauth-errors.js';
import { protocolErrorHeaders, protocolErrorOf } from './protocol-error.js';
import { isStorageUnavailable, StorageUnavailableError, unavailableIfStorageDown } from './storage-unavailable.js';
import { unavailableOnFailure } from './unavailable-on-failure.js';

/** A driver error as node-postgres builds it from a server message (`DatabaseError`: a SQLSTATE in `code`). */
function pgError(code: string, message = 'server says no'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

/** As TypeORM throws a failed query: the driver error in `driverError`, its fields copied. */
function typeormWrapped(driverError: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

const silent = { error: () => undefined };

/** What a real better-sqlite3 connection throws while another holds the write lock, and for a missing table. */
function sqliteErrors(): { busy: unknown; missingTable: unknown; constraint: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'authnest-classifier-'));
  const path = join(dir, 'db.sqlite');
  const holder = new Database(path);
  const writer = new Database(path);
  const caught = (work: () => unknown): unknown => {
    try {
      work();
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  };
  try {
    holder.pragma('journal_mode = WAL');
    holder.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    writer.pragma('busy_timeout = 0');
    holder.exec('BEGIN EXCLUSIVE');
    const busy = caught(() => writer.exec('INSERT INTO t VALUES (1)'));
    holder.exec('ROLLBACK');
    writer.exec('INSERT INTO t VALUES (2)');
    return {
      busy,
      missingTable: caught(() => writer.exec('SELECT * FROM missing')),
      constraint: caught(() => writer.exec('INSERT INTO t VALUES (2)')),
    };
  } finally {
    writer.close();
    holder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What node-postgres throws connecting to a port nobody listens on. */
async function refusedConnection(): Promise<unknown> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'nobody', database: 'none' });
  return client.connect().then(
    () => new Error('connected?'),
    (error: unknown) => error,
  );
}

describe('isStorageUnavailable', () => {
  let sqlite: ReturnType<typeof sqliteErrors>;
  let refused: unknown;

  beforeAll(async () => {
    sqlite = sqliteErrors();
    refused = await refusedConnection();
  });

  it('is true for SQLite locked, busy, read-only and I/O errors, bare or wrapped by TypeORM', () => {
    expect((sqlite.busy as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(isStorageUnavailable(sqlite.busy)).toBe(true);
    expect(isStorageUnavailable(typeormWrapped(sqlite.busy as Error))).toBe(true);
    for (const code of ['SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'SQLITE_FULL']) {
      expect(isStorageUnavailable(typeormWrapped(pgError(code))), code).toBe(true);
    }
  });

  it('is false for SQLite errors of the request itself: a missing table, a constraint', () => {
    expect(isStorageUnavailable(sqlite.missingTable)).toBe(false);
    expect(isStorageUnavailable(sqlite.constraint)).toBe(false);
    expect(isStorageUnavailable(typeormWrapped(sqlite.constraint as Error))).toBe(false);
    expect(isStorageUnavailable(pgError('SQLITE_BUSYNESS'))).toBe(false);
  });

  it('is true for a refused PostgreSQL connection (a real one, and inside an AggregateError)', () => {
    expect(isStorageUnavailable(refused)).toBe(true);
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })]), {});
    expect(isStorageUnavailable(aggregate)).toBe(true);
  });

  it('is true for PostgreSQL shutting down, starting, out of connections, timeouts, and a read-only server', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '08P01', '53300', '53100', '57014', '55P03', '25006']) {
      expect(isStorageUnavailable(typeormWrapped(pgError(code))), code).toBe(true);
    }
  });

  it('is true for broken connections and pool timeouts that node-postgres reports without a code', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'Query read timeout',
    ]) {
      expect(isStorageUnavailable(new Error(message)), message).toBe(true);
      expect(isStorageUnavailable(typeormWrapped(new Error(message))), message).toBe(true);
    }
    const timeout = new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') });
    expect(isStorageUnavailable(timeout)).toBe(true);
    expect(isStorageUnavailable(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('is false for errors of the request or of the code: constraints, missing relations, serialization, anything else', () => {
    for (const code of ['23505', '23503', '42P01', '42703', '40001', '40P01', '22001', 'XX000', 'ERR_ASSERTION', 'ENOENT']) {
      expect(isStorageUnavailable(typeormWrapped(pgError(code))), code).toBe(false);
    }
    for (const value of [new Error('boom'), new TypeError('x is undefined'), 'ECONNREFUSED', 42, null, undefined, { code: 57 }]) {
      expect(isStorageUnavailable(value)).toBe(false);
    }
    expect(isStorageUnavailable(new Error('Something: Connection terminated unexpectedly'))).toBe(false);
  });

  it('terminates on errors that wrap themselves', () => {
    const loop: Error & { cause?: unknown; driverError?: unknown } = new Error('loop');
    loop.cause = loop;
    const a: { cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    expect(isStorageUnavailable(loop)).toBe(false);
    expect(isStorageUnavailable(a)).toBe(false);
  });
});

describe('StorageUnavailableError and the protocol mapping', () => {
  const down = typeormWrapped(pgError('57P01', 'terminating connection due to administrator command'));

  it('is 503 temporarily_unavailable with Retry-After and nothing of the cause', () => {
    const error = new StorageUnavailableError();
    expect(error.status).toBe(503);
    expect(error.toJSON()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(protocolErrorHeaders(error)).toEqual({ 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Retry-After': '5' });
  });

  it('maps a storage outage on a protocol endpoint to it, and leaves other errors and other paths as they were', () => {
    expect(protocolErrorOf(down, '/oauth/token', silent)).toBeInstanceOf(StorageUnavailableError);
    expect(protocolErrorOf(new Error('connect ECONNREFUSED'), '/oauth/introspect', silent)?.code).toBe('server_error');
    expect(protocolErrorOf(typeormWrapped(pgError('42P01')), '/oauth/token', silent)?.status).toBe(500);
    expect(protocolErrorOf(down, '/api/things', silent)).toBeUndefined();
    const grant = new InvalidGrantError('no');
    expect(protocolErrorOf(grant, '/oauth/token', silent)).toBe(grant);
  });

  it('logs the outage without the driver message', () => {
    const lines: string[] = [];
    protocolErrorOf(down, '/oauth/token', { error: (line: string) => void lines.push(line) });
    expect(lines).toEqual(['Storage unavailable on /oauth/token']);
  });

  it('unavailableOnFailure adds Retry-After for an outage only', async () => {
    const logger = new Logger('test');
    logger.error = () => undefined;
    const outage = await unavailableOnFailure(logger, 'x', () => Promise.reject(down)).catch((error: unknown) => error);
    expect(outage).toBeInstanceOf(StorageUnavailableError);
    const other = await unavailableOnFailure(logger, 'x', () => Promise.reject(new Error('no such table'))).catch((error: unknown) => error);
    expect(other).not.toBeInstanceOf(StorageUnavailableError);
    expect((other as StorageUnavailableError).status).toBe(503);
    expect((other as StorageUnavailableError).headers).toEqual({});
  });

  it('unavailableIfStorageDown converts outages only', () => {
    expect(unavailableIfStorageDown(down)).toBeInstanceOf(StorageUnavailableError);
    const other = new Error('bug');
    expect(unavailableIfStorageDown(other)).toBe(other);
  });
});
