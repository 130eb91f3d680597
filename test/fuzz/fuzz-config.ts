import fc, { type Parameters as FcParameters } from 'fast-check';

/**
 * How the fuzz suites run: `FUZZ_SEED` (an integer) replays a run exactly, `FUZZ_RUNS` sets the runs of every property
 * (to scale up locally, e.g. `FUZZ_RUNS=2000`). Without `FUZZ_SEED` each process draws a seed and logs it (CI runs a
 * fixed one); fast-check names the seed and the counterexample's path in the failure message, so any failure can be
 * replayed.
 */
function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw !== undefined && raw !== '') {
    const seed = Number(raw);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
    return seed;
  }
  // CI (CI=true, as .ci/run sets it) runs one fixed seed, so that a submission's result does not depend on the draw;
  // every other run explores a new one.
  if (process.env.CI === 'true') return CI_SEED;
  return Math.floor(Math.random() * 0x7fffffff);
}

/** The seed CI runs when `FUZZ_SEED` is not set. */
const CI_SEED = 20_261_207;

export const FUZZ_SEED = seedFromEnv();
const RUNS_OVERRIDE = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
if (RUNS_OVERRIDE !== undefined && !(Number.isSafeInteger(RUNS_OVERRIDE) && RUNS_OVERRIDE > 0)) {
  throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);
}

/** Runs of one property: `FUZZ_RUNS` when set, else the property's own default (chosen to keep the folder fast). */
export function runsOf(defaultRuns: number): number {
  return RUNS_OVERRIDE ?? defaultRuns;
}

/** `FUZZ_SHRINK=1` shrinks a counterexample (every step replays HTTP requests: slow); by default the first is reported. */
const SHRINK = process.env.FUZZ_SHRINK === '1';
/** `FUZZ_LOG=1` prints every request, its answer and its time. */
export const FUZZ_LOG = process.env.FUZZ_LOG === '1';

/** `FUZZ_PATH` (with `FUZZ_SEED`) replays one counterexample directly, as a failure names it. */
const PATH = process.env.FUZZ_PATH || undefined;

/** fast-check parameters for one property: the shared seed and its runs (the failure names both, and the path). */
export function fuzzParameters<T>(defaultRuns: number): FcParameters<T> {
  return { seed: FUZZ_SEED, numRuns: runsOf(defaultRuns), endOnFailure: !SHRINK, ...(PATH ? { path: PATH } : {}) };
}

/**
 * Checks an async property over `runs` generated values; a failure is reported as the request that broke it (its
 * summary is in the assertion message) and how to replay it, not as fast-check's dump of the generated structure.
 */
export async function assertFuzz<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, defaultRuns: number): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), fuzzParameters<[T]>(defaultRuns));
  if (!details.failed) return;
  const error = details.errorInstance;
  const inner = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
  const cause = error instanceof Error ? `${error.message}${inner}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}` : String(error ?? 'interrupted');
  const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''}`;
  throw new Error(`Fuzz property failed after ${details.numRuns} run(s); replay with ${replay} (FUZZ_SHRINK=1 to shrink)\n${cause}`);
}

/** Vitest timeout of one property: generous for the runs asked for, so `FUZZ_RUNS` can scale without editing tests. */
export function propertyTimeout(defaultRuns: number, msPerRun = 150): number {
  return 60_000 + runsOf(defaultRuns) * msPerRun;
}

// One line per worker, so a CI log shows which seed the folder ran with even when every property passes.
console.info(`[fuzz] FUZZ_SEED=${FUZZ_SEED}${RUNS_OVERRIDE ? ` FUZZ_RUNS=${RUNS_OVERRIDE}` : ''}`);
