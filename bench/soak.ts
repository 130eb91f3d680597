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

/**
 * How the samples judge. Memory: the mean of the last fifth over the first fifth after warm-up. Rows: at each sample
 * after warm-up, the rows in the table over the tokens issued in the last `windowSeconds` (a token lives `ttl`, and
 * the purge after its expiry comes within `purgeInterval`; one sample interval more for the chunk that straddles the
 * window's start). The largest of those, over the samples taken once a whole window has passed (before, every token
 * ever issued is in the window), must stay at most 1: the table never holds more than the last window's tokens,
 * whatever the rate (a table that grows while the rate stays put exceeds it; rows that follow a changing rate do not).
 */
export function judgeSoak(samples: readonly SoakSample[], warmupSeconds: number, windowSeconds: number): { rssGrowth: number; rowsOverWindow: number; met: boolean } {
  const settled = samples.filter((sample) => sample.t > warmupSeconds);
  const fifth = Math.max(1, Math.floor(settled.length / 5));
  const rssGrowth = mean(settled.slice(-fifth).map((s) => s.rssMiB)) / mean(settled.slice(0, fifth).map((s) => s.rssMiB)) - 1;
  const ratios = settled.filter((sample) => sample.t >= windowSeconds).map((sample) => {
    const issued = samples.filter((s) => s.t <= sample.t && s.t > sample.t - windowSeconds).reduce((sum, s) => sum + s.issued, 0);
    return sample.accessTokenRows / Math.max(issued, 1);
  });
  const rowsOverWindow = Math.max(0, ...ratios);
  return { rssGrowth, rowsOverWindow, met: rssGrowth <= 0.2 && rowsOverWindow <= 1 };
}

/** The window `judgeSoak` counts issued tokens over: a token's life, a purge interval and a sample interval. */
export function rowWindowSeconds(plan: Pick<SoakPlan, 'accessTokenTtl' | 'purgeInterval' | 'sampleEvery'>): number {
  return plan.accessTokenTtl + plan.purgeInterval + plan.sampleEvery;
}

/**
 * Full load on the opaque token endpoint for `plan.seconds` (back-to-back chunks), reading the server's resident
 * memory and the access-token table after each chunk. Every token written expires after `accessTokenTtl`, so once
 * purges run the table holds no more than the tokens of the last `rowWindowSeconds`.
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
    const sample = { t: Math.round((Date.now() - started) / 1000), rssMiB: await residentMiB(server.pid), accessTokenRows: await rows(), issued: round.ok };
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
    rowWindowSeconds: rowWindowSeconds(plan),
    ...judgeSoak(samples, plan.warmupSeconds, rowWindowSeconds(plan)),
  };
}
