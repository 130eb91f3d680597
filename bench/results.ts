/** The shapes `npm run bench` writes to bench/results/latest.json, and the report is made from. */

/** One timed round of one server under load. Latencies in milliseconds. */
export interface Measurement {
  /** Responses received that were 2xx and passed the scenario's check. */
  ok: number;
  /** Responses that were not 2xx, failed the check, or connection errors and timeouts. */
  failed: number;
  durationSeconds: number;
  /** `ok / durationSeconds`: requests (or, for the login flow, logins) per second. */
  rate: number;
  latency: { p50: number; p99: number; mean: number };
}

/** Every round of one server in one scenario, and the round of median rate. */
export interface Rounds {
  rounds: Measurement[];
  median: Measurement;
}

/** One server measured in a scenario (authnest, a peer, or authnest's own baseline route). */
export interface Contender {
  /** `authnest`, `node-oidc-provider`, `oauth2-server`, `unguarded route`, ... */
  name: string;
  result: Rounds;
}

export type Platform = 'express' | 'fastify';
export type Database = 'sqlite' | 'postgres';

/** One scenario on one platform and database. */
export interface ScenarioResult {
  /** Stable id: `token-opaque`, `token-jwt-es256`, `token-jwt-rs256`, `introspection`, `guarded-jwt`, `guarded-opaque`, `refresh-rotation`, `code-flow`. */
  id: string;
  /** For people: `client_credentials token, opaque`. */
  title: string;
  platform: Platform;
  database: Database;
  /** Keep-alive connections of the load when not the run's `method.connections` (the PostgreSQL saturation pass). */
  connections?: number;
  /** `req/s`, or `logins/s` for the full authorization code flow. */
  unit: string;
  authnest: Rounds;
  /** What the ratio is measured against, in the same run: a peer, or the same route unguarded. Null: no baseline. */
  baseline: Contender | null;
  /** Other servers measured in the same rounds, shown but not used for the ratio. */
  others: Contender[];
  /** The median of authnest's round-by-round ratios to the baseline (`pairedRatio`); null without a baseline. */
  ratio: number | null;
  /** The ratio the issue asks for; null: no target, shown for information. */
  target: number | null;
  /** `ratio >= target`; null without a target. */
  met: boolean | null;
}

/** One reading of the soak. */
export interface SoakSample {
  /** Seconds since the soak started. */
  t: number;
  /** Resident memory of the server process. */
  rssMiB: number;
  /** Rows in authnest_access_tokens. */
  accessTokenRows: number;
  /** Tokens issued during the load chunk that ended at `t`. */
  issued: number;
}

/** A long run at full load: resident memory and the token table over time. */
export interface SoakResult {
  platform: Platform;
  database: Database;
  scenario: string;
  durationSeconds: number;
  /** Access-token lifetime and purge interval the server ran with, in seconds. */
  accessTokenTtl: number;
  purgeInterval: number;
  samples: SoakSample[];
  /** Mean RSS of the last fifth of the run over the mean of the first fifth after warm-up, minus 1 (0.05 = 5 % more). */
  rssGrowth: number;
  /** Seconds of issuance the table may hold: token lifetime + purge interval + one sample interval. */
  rowWindowSeconds: number;
  /** The largest, over the samples after warm-up, of the rows over the tokens issued in the last `rowWindowSeconds`. */
  rowsOverWindow: number;
  /** rssGrowth <= 0.2 and rowsOverWindow <= 1 */
  met: boolean;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** Whether servers and load were pinned to separate cores with taskset. */
  pinned: boolean;
}

export interface MethodInfo {
  connections: number;
  roundSeconds: number;
  warmupSeconds: number;
  rounds: number;
  loadGenerator: string;
}

/** Everything one `npm run bench` measured. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  method: MethodInfo;
  scenarios: ScenarioResult[];
  soak: SoakResult | null;
}
