import { runLoad } from './load-runner.js';
import { residentMiB, type ServerProcess } from './processes.js';
import type { Database, Platform, SoakResult, SoakSample } from './results.js';
import { tokenLoad } from './scenarios.js';

/** The soak's settings: tokens live `accessTokenTtl` seconds and purges run every `purgeInterval`. */
export interface SoakPlan {
  platform: Platform;
  database: Database;
  seconds: number;
  /** Seconds per load chunk; one sample after each. */
  sampleEvery: number;
  /** Seconds at the start left out of the memory baseline (JIT, caches filling, the first purges). */
  warmupSeconds: number;
  accessTokenTtl: number;
  purgeInterval: number;
  connections: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
}

/** How the samples judge: memory of the last fifth over the first fifth after warm-up, rows of the second half over the first. */
export function judgeSoak(samples: readonly SoakSample[], warmupSeconds: number): { rssGrowth: number; rowGrowth: number; met: boolean } {
  const settled = samples.filter((sample) => sample.t > warmupSeconds);
  const fifth = Math.max(1, Math.floor(settled.length / 5));
  const rssGrowth = mean(settled.slice(-fifth).map((s) => s.rssMiB)) / mean(settled.slice(0, fifth).map((s) => s.rssMiB)) - 1;
  const middle = samples.length > 0 ? samples[samples.length - 1]!.t / 2 : 0;
  const most = (list: readonly SoakSample[]) => Math.max(1, ...list.map((s) => s.accessTokenRows));
  const rowGrowth = most(samples.filter((s) => s.t > middle)) / most(samples.filter((s) => s.t <= middle));
  return { rssGrowth, rowGrowth, met: rssGrowth <= 0.2 && rowGrowth <= 1.2 };
}

/**
 * Full load on the opaque token endpoint for `plan.seconds` (back-to-back chunks), reading the server's resident
 * memory and the access-token table after each chunk. Every token written expires after `accessTokenTtl`, so once
 * purges run the table must stop growing.
 */
export async function soak(
  plan: SoakPlan,
  server: ServerProcess,
  rows: () => Promise<number>,
  loadCore: number | null,
): Promise<SoakResult> {
  const samples: SoakSample[] = [];
  const started = Date.now();
  const target = tokenLoad(`${server.url}/oauth/token`, 'bench', 'token-opaque');
  let failed = 0;
  while ((Date.now() - started) / 1000 < plan.seconds) {
    const round = await runLoad({ target, connections: plan.connections, seconds: plan.sampleEvery }, loadCore);
    failed += round.failed;
    const sample = { t: Math.round((Date.now() - started) / 1000), rssMiB: await residentMiB(server.pid), accessTokenRows: await rows() };
    samples.push(sample);
    console.log(`  soak t=${sample.t}s rss=${sample.rssMiB.toFixed(1)} MiB rows=${sample.accessTokenRows} rate=${round.rate.toFixed(0)}/s`);
  }
  if (failed > 0) console.warn(`  soak: ${failed} failed responses`);
  return {
    platform: plan.platform,
    database: plan.database,
    scenario: 'token-opaque',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    accessTokenTtl: plan.accessTokenTtl,
    purgeInterval: plan.purgeInterval,
    samples,
    ...judgeSoak(samples, plan.warmupSeconds),
  };
}
