import type { Measurement } from '../results.js';

/** A Measurement with the first distinct error messages of the failed steps (empty when none failed). */
export type FlowMeasurement = Measurement & { errors: string[] };

/** How `loadLoop` runs. */
export interface LoadLoopOptions {
  /** Virtual users, each running `step` in a loop. */
  concurrency: number;
  /** No step is started after this many seconds; steps already running finish. */
  seconds: number;
  /** One unit of work (a login, a refresh); throwing counts it as failed. Receives the virtual user's index. */
  step: (worker: number) => Promise<void>;
  /** Distinct error messages kept (default 5). */
  maxErrors?: number;
}

/**
 * Runs `concurrency` virtual users, each calling `step` back to back until `seconds` have passed, and measures them:
 * ok and failed steps, latency of the ok steps (p50, p99, mean in ms, from `performance.now()`), and
 * `rate = ok / durationSeconds`, where the duration runs from the start until the last step has finished.
 */
export async function loadLoop(options: LoadLoopOptions): Promise<FlowMeasurement> {
  const { concurrency, seconds, step } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  if (!(seconds > 0)) throw new Error(`seconds must be positive, got ${seconds}`);
  const maxErrors = options.maxErrors ?? 5;
  const latencies = new LatencyLog();
  const errors: string[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;

  async function user(worker: number): Promise<void> {
    while (performance.now() < deadline) {
      const begin = performance.now();
      try {
        await step(worker);
        latencies.add(performance.now() - begin);
      } catch (error) {
        failed++;
        const message = describe(error);
        if (errors.length < maxErrors && !errors.includes(message)) errors.push(message);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, worker) => user(worker)));
  const durationSeconds = (performance.now() - started) / 1000;
  const ok = latencies.count;
  return { ok, failed, durationSeconds, rate: ok / durationSeconds, latency: latencies.summary(), errors };
}

/** An error's message, with its cause's (fetch says only `fetch failed`; the cause says ECONNREFUSED or the timeout). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** Latencies in a growing Float64Array (no boxing, one sort at the end). */
class LatencyLog {
  private values = new Float64Array(4096);
  count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  /** Nearest-rank p50 and p99 and the mean; zeros when nothing was recorded. */
  summary(): Measurement['latency'] {
    if (this.count === 0) return { p50: 0, p99: 0, mean: 0 };
    const sorted = this.values.slice(0, this.count).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: sum / sorted.length };
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}
