import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import { authnestDataSource } from '../support/app-helpers.js';

/** Row count and SHA-256 digest (of every row, in a stable order) of one table. */
export interface TableState {
  count: number;
  digest: string;
}

/** Every authnest table of an app, by name. */
export type DbSnapshot = ReadonlyMap<string, TableState>;

/**
 * Tables a rejected request may legitimately change, and why. A fuzz request names the ones it may touch (most name
 * none); anything else that changes fails the property. Every exclusion the suite uses is listed here.
 */
export const EXPECTED_CHANGES = {
  /**
   * Fixed-window counters: login attempts (per account and per address), registration requests per address and user
   * code entries on the device verification page count every attempt, right or wrong, before the input is looked at.
   */
  rateLimits: 'authnest_rate_limits',
  /**
   * Single-use credentials spent by the refusal itself: an authorization code burnt by a failed PKCE check (RFC 7636
   * section 4.6, checklist 16) or redeemed twice (the grant is revoked, RFC 6749 section 4.1.2).
   */
  codes: 'authnest_authorization_codes',
  /** The grant's tokens revoked with a replayed code or a reused rotated refresh token (RFC 9700 section 4.14.2). */
  accessTokens: 'authnest_access_tokens',
  refreshTokens: 'authnest_refresh_tokens',
  /** A device code's last poll and interval, which `slow_down` needs (RFC 8628 section 3.5), on every poll. */
  deviceCodes: 'authnest_device_codes',
  /**
   * A registration access token presented at another client's configuration URL is revoked (RFC 7592 section 3: a
   * leaked token is taken out of use), and the answer is the same 401 as for a wrong token.
   */
  registeredClients: 'authnest_clients',
  /** A pushed request's `request_uri` is used once (RFC 9126 section 4), whatever the authorization request's outcome. */
  pushedRequests: 'authnest_pushed_requests',
} as const;

export type ExpectedChange = (typeof EXPECTED_CHANGES)[keyof typeof EXPECTED_CHANGES];

/**
 * Columns left out of the digest because reading changes them. None so far: every column of every table is compared
 * (the table is kept so an exclusion, if one is ever needed, is written down here with its reason).
 */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {};

function stable(value: unknown): string {
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (Buffer.isBuffer(value)) return `b:${value.toString('hex')}`;
  return JSON.stringify(value ?? null);
}

/** Reads every table of authnest's entities through the app's own DataSource. */
export async function snapshotDatabase(app: INestApplication): Promise<DbSnapshot> {
  const dataSource = authnestDataSource(app);
  const state = new Map<string, TableState>();
  for (const metadata of dataSource.entityMetadatas) {
    if (!metadata.tableName.startsWith('authnest_')) continue;
    const rows = (await dataSource.query(`SELECT * FROM ${metadata.tablePath}`)) as Record<string, unknown>[];
    const skip = VOLATILE_COLUMNS[metadata.tableName] ?? [];
    const lines = rows
      .map((row) => Object.keys(row).sort().filter((column) => !skip.includes(column)).map((column) => `${column}=${stable(row[column])}`).join('\u0001'))
      .sort();
    const digest = createHash('sha256').update(lines.join('\n')).digest('hex');
    state.set(metadata.tableName, { count: rows.length, digest });
  }
  return state;
}

/** The tables whose count or digest differ between two snapshots. */
export function changedTables(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name)?.digest !== after.get(name)?.digest).sort();
}

/** Asserts that a rejected request changed no table but the ones it may (`allowed`), naming what changed otherwise. */
export function expectUnchanged(before: DbSnapshot, after: DbSnapshot, allowed: readonly ExpectedChange[], what: string): void {
  const unexpected = changedTables(before, after).filter((name) => !(allowed as readonly string[]).includes(name));
  const detail = unexpected.map((name) => `${name}: ${before.get(name)?.count} -> ${after.get(name)?.count} rows`).join(', ');
  expect(unexpected, `a rejected request changed the database (${detail}): ${what}`).toEqual([]);
}
