import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { AuthDatabaseOptions } from '../../src/index.js';
import { ALICE, CLIENT_SEEDS, expectInactive, expectTokens, MACHINE, post, redirectOf, revoke, SPA } from '../grants/grant-helpers.js';
import type { Database, Platform } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { ApiController, expectOAuthError } from '../token-endpoint/helpers.js';
import { ledgerFindings, readLedger } from './ledger.js';
import { describeSample, phaseOf, REQUEST_BOUND_MS, startLoad, type OutageMarks, type Sample } from './load.js';
import { isClean503, loadViolations, outageWorkers, prepareMaterial, tally, type Material, type Op } from './outage-load.js';

/**
 * The app every outage test loads: opaque tokens (never cached by the guard), no refresh grace (a retry is reuse),
 * the grant helpers' clients and alice.
 */
export async function bootFaultApp(platform: Platform, db: Database, database: AuthDatabaseOptions): Promise<TestApp> {
  const t = await bootTestApp({
    platform,
    db,
    database,
    imports: [TestAccountsModule],
    controllers: [ApiController],
    options: { scopes: ['a', 'b', 'c'], clients: CLIENT_SEEDS, accessToken: { format: 'opaque' }, refreshToken: { reuseGrace: 0 } },
  });
  t.app.get(InMemoryAccountService).add(ALICE);
  return t;
}

const OPS: Op[] = ['cc', 'code', 'refresh', 'introspect', 'api', 'api-unknown', 'revoke', 'authorize'];

/** How the storage is taken away and given back, and for how long. */
export interface Outage {
  down(): Promise<void> | void;
  up(): Promise<void> | void;
  /** Milliseconds between the end of `down` and the start of `up`. */
  downMs: number;
  /** Requests that are still answered while the storage is down (SQLite serves reads while the write lock is held). */
  servedWhileDown?: ReadonlySet<Op>;
}

/** A load run across an outage: 600 ms of load, the outage, then 1.5 s more after `up`. */
export async function runOutage(t: TestApp, outage: Outage): Promise<{ samples: Sample<Op>[]; marks: OutageMarks; material: Material }> {
  const material = await prepareMaterial(t, { codes: 120, chains: 3, valid: 8, revocable: 80 });
  const load = startLoad(outageWorkers(t, material));
  await sleep(600);
  const stopStart = performance.now();
  await outage.down();
  const stopDone = performance.now();
  await sleep(outage.downMs);
  const startStart = performance.now();
  await outage.up();
  const startDone = performance.now();
  await sleep(1500);
  const samples = await load.stop();
  const marks = { stopStart, stopDone, startStart, startDone };
  // AUTHNEST_FAULTS_REPORT=1 prints what the run saw (answers by phase, slowest request, how long the outage took).
  if (process.env.AUTHNEST_FAULTS_REPORT === '1') {
    const slowest = Math.round(Math.max(...samples.map((sample) => sample.doneAt - sample.sentAt)));
    const timing = `down ${Math.round(stopDone - stopStart)} ms to take, ${Math.round(startDone - startStart)} ms to restore`;
    console.info(`${samples.length} requests, slowest ${slowest} ms, ${timing}\n${JSON.stringify(tally(samples, marks))}`);
  }
  return { samples, marks, material };
}

/**
 * Asserts the answers of the run: nothing failed, hung or took longer than the bound; success before and after,
 * a clean 503 while down (success for what is served while down), either across a transition; every kind of request
 * met the outage (a clean 503 while down or across a transition) and succeeded after it.
 */
export function expectCleanAnswers(run: { samples: Sample<Op>[]; marks: OutageMarks }, served: ReadonlySet<Op> = new Set()): void {
  const { samples, marks } = run;
  const counts = JSON.stringify(tally(samples, marks));
  expect(loadViolations(samples, marks, served).map((sample) => describeSample(sample, marks)), counts).toEqual([]);
  expect(Math.max(...samples.map((sample) => sample.doneAt - sample.sentAt))).toBeLessThan(REQUEST_BOUND_MS);
  for (const op of OPS) {
    // Met the outage: a clean 503 (or, for what is served while down, an answer) while down or across a transition.
    const metOutage = samples.some((sample) => sample.op === op && phaseOf(sample, marks) !== 'before' && phaseOf(sample, marks) !== 'after' && (served.has(op) || isClean503(sample)));
    expect(metOutage, `${op} while down; ${counts}`).toBe(true);
    expect(
      samples.some((sample) => sample.op === op && phaseOf(sample, marks) === 'after'),
      `${op} after; ${counts}`,
    ).toBe(true);
  }
}

/**
 * Asserts the grant tables hold nothing half-written (see `ledgerFindings`), then that what the outage interrupted
 * can be finished: a code whose redemption failed and is not consumed redeems exactly once (FL1), every refresh
 * family goes on from the token its client holds (FL2), a revocation refused is accepted when sent again (FL4).
 */
export async function expectWholeGrants(t: TestApp, database: AuthDatabaseOptions, run: { samples: Sample<Op>[]; material: Material }): Promise<void> {
  const findings = ledgerFindings(await readLedger(database), run.samples, run.material);
  if (process.env.AUTHNEST_FAULTS_REPORT === '1') console.info(`redeemable again ${findings.redeemable.length}, orphan refresh tokens ${findings.orphanRefreshTokens}`);
  expect(findings.violations).toEqual([]);
  // A refresh that failed between storing its new token and rotating the presented one leaves that new token live,
  // unreachable (no one ever received it): at most one per failed refresh. Known gap: the two writes are not one
  // transaction.
  expect(findings.orphanRefreshTokens).toBeLessThanOrEqual(run.samples.filter((sample) => sample.op === 'refresh' && sample.res?.status !== 200).length);
  for (const value of findings.redeemable) {
    const code = run.material.spent.get(value)!;
    const form = { grant_type: 'authorization_code', code: code.code, redirect_uri: redirectOf(SPA), code_verifier: code.verifier };
    expectTokens(await post(t, '/oauth/token', SPA, form), { refreshToken: true });
    expectOAuthError(await post(t, '/oauth/token', SPA, form), 400, 'invalid_grant');
  }
  for (const chain of run.material.chains) {
    expectTokens(await post(t, '/oauth/token', SPA, { grant_type: 'refresh_token', refresh_token: chain.current }), { refreshToken: true });
  }
  for (const token of findings.unrevoked) {
    expect((await revoke(t, MACHINE, token)).status).toBe(200);
    await expectInactive(t, token);
  }
}
