import { existsSync, readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { AuthDatabaseOptions } from '../../../src/index.js';
import { CookieJar } from '../../support/cookie-jar.js';

/** A secret the run saw, by what it is (for the failure message). */
export interface SeenSecret {
  label: string;
  value: string;
}

/** Shortest value worth searching for: below it a match in random bytes or hashes could be chance. */
const MIN_LENGTH = 8;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The text forms a secret could be stored in by mistake: as sent, base64 (standard and url, without padding) and hex
 * of its UTF-8 bytes, and, for a base64url token, hex and base64 of the bytes it encodes.
 */
export function textForms(value: string): string[] {
  const utf8 = Buffer.from(value, 'utf8');
  const forms = [value, utf8.toString('base64').replace(/=+$/, ''), utf8.toString('base64url'), utf8.toString('hex')];
  if (BASE64URL.test(value) && value.length >= 22) {
    const bytes = Buffer.from(value, 'base64url');
    forms.push(bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''));
  }
  return [...new Set(forms)].filter((form) => form.length >= MIN_LENGTH);
}

/** Binary forms for a raw file scan: the text forms' bytes, and the bytes a base64url token encodes (16 bytes and more). */
export function byteForms(value: string): Buffer[] {
  const forms = textForms(value).map((form) => Buffer.from(form, 'utf8'));
  if (BASE64URL.test(value) && value.length >= 22) forms.push(Buffer.from(value, 'base64url'));
  return forms;
}

/** The secrets of one run, with the parts worth searching for on their own (JWT signatures, cookie MACs, token tails). */
export class SecretLedger {
  private readonly seen: SeenSecret[] = [];

  add(label: string, value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) throw new Error(`no ${label} to remember (got ${String(value)})`);
    this.seen.push({ label, value });
    const parts = value.split('.');
    // A compact JWS: the signature alone is as secret as the token (header and payload are not secret on their own).
    if (parts.length === 3 && parts[2]!.length >= MIN_LENGTH) this.seen.push({ label: `${label} (signature)`, value: parts[2]! });
    // A signed cookie `value.mac`: both halves.
    if (parts.length === 2) parts.filter((part) => part.length >= MIN_LENGTH).forEach((part, i) => this.seen.push({ label: `${label} (part ${i})`, value: part }));
  }

  all(): readonly SeenSecret[] {
    return this.seen;
  }

  /** Labels of the secrets found in `text` in any text form. */
  foundIn(text: string): string[] {
    return this.seen.filter(({ value }) => textForms(value).some((form) => text.includes(form))).map(({ label }) => label);
  }

  /** Labels of the secrets found in raw bytes in any form. */
  foundInBytes(bytes: Buffer): string[] {
    return this.seen.filter(({ value }) => byteForms(value).some((form) => bytes.includes(form))).map(({ label }) => label);
  }
}

/** A cookie jar that remembers every cookie value it was ever sent and every Location (a browser's history). */
export class RecordingJar extends CookieJar {
  readonly values: { name: string; value: string }[] = [];
  readonly locations: string[] = [];

  override store(headers: Headers): void {
    const location = headers.get('location');
    if (location) this.locations.push(location);
    for (const line of headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value) this.values.push({ name: pair.slice(0, eq), value: decodeURIComponent(value) });
    }
    super.store(headers);
  }
}

/** Every table of the database (authnest's, the migrations table, anything else), every row, as one JSON text per table. */
export async function dumpAllTables(dataSource: DataSource, database: AuthDatabaseOptions): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  if ('dataSource' in database) throw new Error('dumpAllTables: pass the SQLite or PostgreSQL options the app was booted with');
  if (database.type === 'sqlite') {
    const tables = (await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)) as { name: string }[];
    for (const { name } of tables) dump.set(name, JSON.stringify(await dataSource.query(`SELECT * FROM "${name.replace(/"/g, '""')}"`)));
    return dump;
  }
  const schema = database.schema ?? 'public';
  const tables = (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema])) as { table_name: string }[];
  for (const { table_name: name } of tables) dump.set(name, JSON.stringify(await dataSource.query(`SELECT * FROM "${schema}"."${name}"`)));
  return dump;
}

/** The raw bytes of a SQLite database: the main file, its write-ahead log and shared-memory index when present. */
export function sqliteFiles(database: AuthDatabaseOptions): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if ('dataSource' in database || database.type !== 'sqlite') return files;
  const path = database.path ?? 'authnest.sqlite';
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) if (existsSync(file)) files.set(file, readFileSync(file));
  return files;
}
