import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type TestResponse } from '../support/http.js';

/**
 * Longest any request may take, whatever the database does: past it the request counts as hung. Unloaded, every
 * answer of these runs comes within about 1 s (the hanging database: the 1 s timeouts); the margin is for CI machines
 * running other suites beside these.
 */
export const REQUEST_BOUND_MS = 5000;

/** One request of the load and what came of it (`res`, or `failure` when no HTTP answer came within the bound). */
export interface Sample<Op extends string = string> {
  op: Op;
  /** The code, refresh token or access token the request presented. */
  input?: string;
  sentAt: number;
  doneAt: number;
  res?: TestResponse;
  failure?: string;
}

/** Sends one request with the bound (or `boundMs`) as its timeout, and records it. */
export async function timed<Op extends string>(op: Op, input: string | undefined, url: string, init: RequestInit, boundMs = REQUEST_BOUND_MS): Promise<Sample<Op>> {
  const sentAt = performance.now();
  try {
    const res = await request(url, { ...init, signal: AbortSignal.timeout(boundMs) });
    return { op, input, sentAt, doneAt: performance.now(), res };
  } catch (error) {
    return { op, input, sentAt, doneAt: performance.now(), failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** A POST of a form, as `timed` sends it. */
export function formInit(form: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() };
}

/** A source of requests: `next` sends one (and keeps its own state), or says there is nothing left to send. */
export interface LoadWorker<Op extends string> {
  /** Milliseconds between two requests of this worker (the load stays bounded). */
  pause: number;
  next(): Promise<Sample<Op>> | undefined;
}

/** Workers sending one request at a time each until `stop`, which resolves every sample. */
export function startLoad<Op extends string>(workers: LoadWorker<Op>[]): { stop(): Promise<Sample<Op>[]> } {
  const samples: Sample<Op>[] = [];
  let stopped = false;
  const loops = workers.map(async (worker) => {
    while (!stopped) {
      const sending = worker.next();
      if (!sending) return;
      samples.push(await sending);
      await sleep(worker.pause);
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return samples;
    },
  };
}

/** When the database went away and came back (performance.now() marks). */
export interface OutageMarks {
  stopStart: number;
  stopDone: number;
  startStart: number;
  startDone: number;
}

/**
 * Where a request fell: entirely before the stop began, entirely while the database was down (sent after the stop
 * completed, answered before the start began), sent after the start completed, or across a transition.
 */
export type Phase = 'before' | 'down' | 'after' | 'transition';

export function phaseOf(sample: Sample, marks: OutageMarks): Phase {
  if (sample.doneAt < marks.stopStart) return 'before';
  if (sample.sentAt > marks.stopDone && sample.doneAt < marks.startStart) return 'down';
  if (sample.sentAt > marks.startDone) return 'after';
  return 'transition';
}

/** A one-line account of a sample for assertion messages. */
export function describeSample(sample: Sample, marks?: OutageMarks): string {
  const phase = marks ? ` [${phaseOf(sample, marks)}]` : '';
  const took = `${Math.round(sample.doneAt - sample.sentAt)} ms`;
  return `${sample.op}${phase} ${took}: ${sample.res ? `${sample.res.status} ${sample.res.text.slice(0, 160)}` : sample.failure}`;
}
