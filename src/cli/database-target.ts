import type { ResolvedDatabase } from '../options/resolved-options.js';

/** A database the CLI opens itself: a SQLite file or PostgreSQL. */
export type DatabaseTarget = Exclude<ResolvedDatabase, { kind: 'existing' }>;

/** Names the target without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `SQLite file ${target.path}`;
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return 'PostgreSQL (a malformed URL)';
  }
  return `PostgreSQL ${url.host}${url.pathname}${target.schema ? `, schema ${target.schema}` : ''}`;
}

/** Hides the connection URL and its password from driver messages. */
export function redact(message: string, target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return message;
  let password = '';
  try {
    password = decodeURIComponent(new URL(target.url).password);
  } catch {
    // not a URL the driver could use either: hide it whole
  }
  const hidden = message.split(target.url).join('<url>');
  return password ? hidden.split(password).join('***') : hidden;
}
