import type { AuthDatabaseOptions } from '../../src/index.js';
import { inspectDatabase } from '../token-endpoint/db-inspector.js';
import type { Sample } from './load.js';
import { hashOf, type Material, type Op } from './outage-load.js';

type Row = Record<string, unknown>;

/** authnest's grant tables as stored, read through a connection of the test's own. */
export interface Ledger {
  access: Row[];
  refresh: Row[];
  codes: Row[];
}

export async function readLedger(database: AuthDatabaseOptions): Promise<Ledger> {
  const inspector = await inspectDatabase(database);
  try {
    // One after the other: the PostgreSQL inspector is one connection.
    const access = await inspector.rows('authnest_access_tokens');
    const refresh = await inspector.rows('authnest_refresh_tokens');
    const codes = await inspector.rows('authnest_authorization_codes');
    return { access, refresh, codes };
  } finally {
    await inspector.close();
  }
}

const isLive = (row: Row) => row.revoked_at === null && row.rotated_at == null;

/** Live access and refresh rows of a grant (a code's id, a refresh family's `grant_id`). */
export function liveRowsOf(ledger: Ledger, grantId: unknown): { access: Row[]; refresh: Row[] } {
  return {
    access: ledger.access.filter((row) => row.grant_id === grantId && isLive(row)),
    refresh: ledger.refresh.filter((row) => row.grant_id === grantId && isLive(row)),
  };
}

/** What the checks found, and what is left to do once the database is back. */
export interface LedgerFindings {
  violations: string[];
  /** Codes whose redemption failed and that are not consumed: each must redeem exactly once now. */
  redeemable: string[];
  /** Tokens whose revocation failed: still active, to revoke again. */
  unrevoked: string[];
  /**
   * Live refresh tokens no client received: stored by a refresh that then failed before it rotated the presented
   * token (the database went away between the two statements). Unreachable (the value only ever existed in that
   * request), but a second live successor of the presented token in the table.
   */
  orphanRefreshTokens: number;
}

/**
 * "A response implies a durable row": every token a client received is stored, every code answered 200 is consumed,
 * every revocation answered 200 is stored.
 */
export function durabilityViolations(ledger: Ledger, samples: Sample<Op>[]): string[] {
  const violations: string[] = [];
  const accessById = new Map(ledger.access.map((row) => [row.id, row]));
  const refreshHashes = new Set(ledger.refresh.map((row) => row.token_hash));
  const codeByHash = new Map(ledger.codes.map((row) => [row.code_hash, row]));
  for (const sample of samples) {
    const body = sample.res?.status === 200 ? sample.res.body : undefined;
    if (!body) continue;
    if (typeof body.access_token === 'string' && accessById.get(body.access_token.slice(0, 22))?.token_hash !== hashOf(body.access_token)) {
      violations.push(`${sample.op}: an access token answered 200 is not stored`);
    }
    if (typeof body.refresh_token === 'string' && !refreshHashes.has(hashOf(body.refresh_token))) violations.push(`${sample.op}: a refresh token answered 200 is not stored`);
    if (sample.op === 'code' && codeByHash.get(hashOf(sample.input!))?.consumed_at == null) violations.push('code: redeemed (200) but not consumed');
    if (sample.op === 'revoke' && accessById.get(sample.input!.slice(0, 22))?.revoked_at == null) violations.push('revoke: answered 200 but not revoked');
  }
  return violations;
}

/**
 * The grant invariants after an outage (FL1, FL2, FL4): `durabilityViolations`; every code whose redemption failed
 * is either unconsumed (redeemable once) or consumed with no live token; every refresh token a client got a successor
 * for is rotated, and the only live refresh token of a family that a client received is the one its client holds (no
 * token got two successors delivered); a revocation that failed changed nothing. Live refresh tokens no client received
 * are counted (`orphanRefreshTokens`).
 */
export function ledgerFindings(ledger: Ledger, samples: Sample<Op>[], material: Material): LedgerFindings {
  const violations = durabilityViolations(ledger, samples);
  const accessById = new Map(ledger.access.map((row) => [row.id, row]));
  const refreshByHash = new Map(ledger.refresh.map((row) => [row.token_hash, row]));
  const codeByHash = new Map(ledger.codes.map((row) => [row.code_hash, row]));
  const redeemable: string[] = [];
  const unrevoked: string[] = [];

  for (const sample of samples.filter((candidate) => candidate.res?.status !== 200)) {
    if (sample.op === 'code') {
      const code = codeByHash.get(hashOf(sample.input!));
      if (!code) violations.push('code: the code row is gone');
      else if (code.consumed_at === null) redeemable.push(sample.input!);
      else {
        const live = liveRowsOf(ledger, code.id);
        if (live.access.length + live.refresh.length > 0) violations.push(`code: failed, consumed, and ${live.access.length + live.refresh.length} tokens live`);
      }
    }
    if (sample.op === 'revoke') {
      if (accessById.get(sample.input!.slice(0, 22))?.revoked_at !== null) violations.push(`revoke: answered ${sample.res?.status} but revoked`);
      else unrevoked.push(sample.input!);
    }
  }

  const received = new Set(material.chains.flatMap((chain) => [...chain.presented, chain.current].map(hashOf)));
  let orphanRefreshTokens = 0;
  for (const chain of material.chains) {
    const current = refreshByHash.get(hashOf(chain.current));
    if (!current || !isLive(current)) {
      violations.push('refresh: the token the client holds is not live');
      continue;
    }
    for (const presented of new Set(chain.presented)) {
      if (presented !== chain.current && refreshByHash.get(hashOf(presented))?.rotated_at == null) violations.push('refresh: a token that got a successor is not rotated');
    }
    const live = liveRowsOf(ledger, current.grant_id).refresh;
    const known = live.filter((row) => received.has(row.token_hash as string));
    if (known.length !== 1) violations.push(`refresh: the family has ${known.length} live refresh tokens a client received (it holds one)`);
    orphanRefreshTokens += live.length - known.length;
  }
  return { violations, redeemable: [...new Set(redeemable)], unrevoked, orphanRefreshTokens };
}
