import type { ResolvedDatabase } from '../options/resolved-options.js';

/** A database the CLI opens itself: a SQLite file or PostgreSQL. */
export type DatabaseTarget = Exclude<ResolvedDatabase, { kind: 'existing' }>;

/** The database flags every command takes (node:util parseArgs option specs). */
export const DATABASE_FLAGS = { sqlite: { type: 'string' }, url: { type: 'string' }, schema: { type: 'string' } } as const;

export const DATABASE_USAGE = '--sqlite PATH | --url postgres://USER:PASS@HOST/DB [--schema NAME]';

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Reads `--sqlite PATH | --url URL [--schema NAME]` into a target, or an error message. */
export function readDatabaseTarget(values: { sqlite?: string; url?: string; schema?: string }): DatabaseTarget | string {
  if ((values.sqlite === undefined) === (values.url === undefined)) return 'pass exactly one of --sqlite and --url';
  if (values.sqlite !== undefined) {
    if (values.schema !== undefined) return '--schema applies to PostgreSQL only';
    if (values.sqlite === '') return '--sqlite needs a file path';
    return { kind: 'sqlite', path: values.sqlite, migrations: 'run' };
  }
  if (!/^postgres(ql)?:\/\//.test(values.url ?? '')) return '--url must be a postgres:// URL';
  if (values.schema !== undefined && !SCHEMA.test(values.schema)) return '--schema must be a plain SQL identifier';
  return { kind: 'postgres', url: values.url!, schema: values.schema, poolSize: 1, migrations: 'run' };
}

/** Names the target without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `SQLite file ${target.path}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.host}${url.pathname}${target.schema ? `, schema ${target.schema}` : ''}`;
}

/** Hides the connection URL and its password from driver messages. */
export function redact(message: string, target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return message;
  const password = decodeURIComponent(new URL(target.url).password);
  const hidden = message.split(target.url).join('<url>');
  return password ? hidden.split(password).join('***') : hidden;
}
