import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchOptions, SCENARIO_IDS, USAGE, type BenchOptions } from './bench-options.js';
import { accessTokenRows, freshBenchDatabase, postgresTarget, type PostgresTarget } from './databases.js';
import { measureScenario, summaryLine } from './measure.js';
import { canPin, freePort, startServer, type ServerProcess } from './processes.js';
import { writeReport } from './report/readme-table.js';
import { writeSummary } from './report/summary.js';
import type { BenchReport, Database, MethodInfo, Platform, ScenarioResult, SoakResult } from './results.js';
import { es256Plans, fetchToken, fetchTokens, INTROSPECTED_TOKENS, rs256Plan, type PlanContext, type ScenarioPlan } from './scenarios.js';
import { soak } from './soak.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const AUTHNEST_SERVER = fileURLToPath(new URL('./server/main.js', import.meta.url));
const PEERS = `${REPO}bench/peers/`;

interface Peers {
  oidc: PlanContext['oidc'];
  oauth2Server: string;
  all: ServerProcess[];
}

/** The scenarios of the PostgreSQL saturation pass. */
const SATURATION_SCENARIOS = ['token-opaque', 'token-jwt-es256', 'introspection'];

/** authnest is measured with `fastPath: true` (a second server without it is shown beside the back-channel scenarios). */
const FAST_PATH = { BENCH_FAST_PATH: '1' };

/** Servers on core 0, load on core 1 (both unpinned when taskset is missing). */
const SERVER_CORE = 0;
const LOAD_CORE = 1;

async function startPeers(core: number | null): Promise<Peers> {
  const oidc = async (mode: string) => startServer(`node-oidc-provider ${mode}`, `${PEERS}oidc-provider.mjs`, await freePort(), { MODE: mode }, core);
  const all = [await oidc('opaque'), await oidc('jwt-es256'), await oidc('jwt-rs256')];
  all.push(await startServer('oauth2-server', `${PEERS}oauth2-server.mjs`, await freePort(), {}, core));
  return { oidc: { opaque: all[0]!.url, es256: all[1]!.url, rs256: all[2]!.url }, oauth2Server: all[3]!.url, all };
}

/** Where authnest's server keeps its data for one configuration. */
type Storage = { sqlitePath: string } | { url: string };

/** The SQLite folders made in this run, removed at its end. */
const sqliteFolders: string[] = [];

async function storageFor(database: Database, postgres: PostgresTarget | null, name: string): Promise<Storage> {
  if (database === 'postgres') return { url: await freshBenchDatabase(postgres!.adminUrl, name) };
  const folder = mkdtempSync(`${tmpdir()}/authnest-bench-`);
  sqliteFolders.push(folder);
  return { sqlitePath: `${folder}/${name}.sqlite` };
}

async function startAuthnest(platform: Platform, storage: Storage, env: Record<string, string>, core: number | null): Promise<ServerProcess> {
  const database: Record<string, string> = 'url' in storage ? { DATABASE_URL: storage.url } : { SAMPLE_DB: storage.sqlitePath };
  return startServer(`authnest ${platform}`, AUTHNEST_SERVER, await freePort(), { BENCH_PLATFORM: platform, ...database, ...env }, core);
}

function wanted(options: BenchOptions, id: string): boolean {
  return options.scenarios.length === 0 || options.scenarios.includes(id);
}

async function runPlans(plans: ScenarioPlan[], where: { platform: Platform; database: Database }, method: MethodInfo, loadCore: number | null, out: ScenarioResult[]) {
  for (const plan of plans) {
    const result = await measureScenario(plan, where, method, loadCore);
    console.log(summaryLine(result));
    out.push(result);
  }
}

/** Every scenario on one platform and database: the ES256 server, then an RS256 one. */
async function runConfiguration(
  platform: Platform,
  database: Database,
  options: BenchOptions,
  ctx: { peers: Peers; postgres: PostgresTarget | null; method: MethodInfo; serverCore: number | null; loadCore: number | null },
  out: ScenarioResult[],
  saturation?: number,
): Promise<void> {
  const where = { platform, database, ...(saturation === undefined ? {} : { connections: saturation }) };
  const es256 = await startAuthnest(platform, await storageFor(database, ctx.postgres, 'es256'), FAST_PATH, ctx.serverCore);
  const pipeline = await startAuthnest(platform, await storageFor(database, ctx.postgres, 'pipeline'), {}, ctx.serverCore);
  // Tokens are fetched again before every scenario: node-oidc-provider keeps only its last 1,000 in memory.
  const context = async (): Promise<PlanContext> => ({
    platform,
    authnest: es256.url,
    authnestPipeline: pipeline.url,
    oidc: ctx.peers.oidc,
    oauth2Server: ctx.peers.oauth2Server,
    opaqueToken: await fetchToken(`${es256.url}/oauth/token`, 'bench'),
    jwtToken: await fetchToken(`${es256.url}/oauth/token`, 'bench-jwt'),
    introspected: {
      authnest: await fetchTokens(`${es256.url}/oauth/token`, 'bench', INTROSPECTED_TOKENS),
      pipeline: await fetchTokens(`${pipeline.url}/oauth/token`, 'bench', INTROSPECTED_TOKENS),
      oidc: await fetchTokens(`${ctx.peers.oidc.opaque}/token`, 'bench', INTROSPECTED_TOKENS),
    },
  });
  try {
    for (const id of SCENARIO_IDS.filter((id) => id !== 'token-jwt-rs256' && wanted(options, id))) {
      const plan = es256Plans(await context()).find((p) => p.id === id)!;
      await runPlans([plan], where, ctx.method, ctx.loadCore, out);
    }
  } finally {
    await es256.stop();
    await pipeline.stop();
  }
  if (!wanted(options, 'token-jwt-rs256')) return;
  const rs256 = await startAuthnest(platform, await storageFor(database, ctx.postgres, 'rs256'), { BENCH_SIGNING_ALG: 'RS256', ...FAST_PATH }, ctx.serverCore);
  try {
    await runPlans([rs256Plan(rs256.url, ctx.peers.oidc.rs256)], where, ctx.method, ctx.loadCore, out);
  } finally {
    await rs256.stop();
  }
}

async function runSoak(options: BenchOptions, database: Database, postgres: PostgresTarget | null, serverCore: number | null, loadCore: number | null): Promise<SoakResult> {
  const storage = await storageFor(database, postgres, 'soak');
  const accessTokenTtl = 30;
  const purgeInterval = 15;
  const server = await startAuthnest('fastify', storage, { BENCH_TOKEN_TTL: String(accessTokenTtl), BENCH_PURGE_INTERVAL: String(purgeInterval), ...FAST_PATH }, serverCore);
  console.log(`soak: ${options.soakSeconds} s of client_credentials (opaque) on fastify/${database}, tokens live ${accessTokenTtl} s, purge every ${purgeInterval} s`);
  try {
    return await soak(
      { platform: 'fastify', database, seconds: options.soakSeconds, sampleEvery: 10, warmupSeconds: Math.min(60, options.soakSeconds / 5), accessTokenTtl, purgeInterval, connections: options.connections },
      server,
      () => accessTokenRows(storage),
      loadCore,
    );
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const pinned = canPin() && cpus().length >= 2;
  const serverCore = pinned ? SERVER_CORE : null;
  const loadCore = pinned ? LOAD_CORE : null;
  if (!pinned) console.warn('taskset or a second core is missing: servers and load share the cores, ratios are less stable');
  const method: MethodInfo = {
    connections: options.connections,
    roundSeconds: options.roundSeconds,
    warmupSeconds: options.warmupSeconds,
    rounds: options.rounds,
    loadGenerator: 'autocannon 9 (HTTP scenarios), fetch virtual users (login and refresh flows)',
  };
  const startedAt = new Date().toISOString();
  const postgres = options.databases.includes('postgres') ? postgresTarget(REPO) : null;
  const databases = options.databases.filter((database) => database !== 'postgres' || postgres !== null);
  if (databases.length < options.databases.length) console.warn('no PostgreSQL (set BENCH_DATABASE_URL or install postgresql): its rounds are skipped');
  const peers = await startPeers(serverCore);
  const scenarios: ScenarioResult[] = [];
  let soakResult: SoakResult | null = null;
  try {
    for (const database of databases) {
      for (const platform of options.platforms) {
        await runConfiguration(platform, database, options, { peers, postgres, method, serverCore, loadCore }, scenarios);
      }
    }
    // At 10 connections a server that waits on a database round trip for each batch is latency-bound (a third idle):
    // the back-channel scenarios run again on PostgreSQL with enough connections to keep it busy.
    const saturated = { ...options, scenarios: SATURATION_SCENARIOS.filter((id) => wanted(options, id)) };
    if (databases.includes('postgres') && options.saturationConnections > 0 && saturated.scenarios.length > 0) {
      const busy = { ...method, connections: options.saturationConnections };
      for (const platform of options.platforms) {
        await runConfiguration(platform, 'postgres', saturated, { peers, postgres, method: busy, serverCore, loadCore }, scenarios, options.saturationConnections);
      }
    }
    for (const peer of peers.all) await peer.stop();
    if (options.soakSeconds > 0) soakResult = await runSoak(options, databases.includes('sqlite') ? 'sqlite' : databases[0]!, postgres, serverCore, loadCore);
  } finally {
    for (const peer of peers.all) await peer.stop();
    postgres?.release();
    for (const folder of sqliteFolders) rmSync(folder, { recursive: true, force: true });
  }
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${type()} ${release()}`, pinned },
    method,
    scenarios,
    soak: soakResult,
  };
  if (soakResult) console.log(`soak: rss ${(soakResult.rssGrowth * 100).toFixed(1)} %, rows ${soakResult.rowsOverWindow.toFixed(2)} of the last ${soakResult.rowWindowSeconds} s of tokens: ${soakResult.met ? 'flat' : 'NOT flat'}`);
  if (options.write) {
    const written = await writeReport(report, `${REPO}bench/results`, `${REPO}bench/README.md`);
    await writeSummary(report, `${REPO}README.md`);
    console.log(`wrote ${written.json}, ${written.markdown}, ${written.svg}, the tables in bench/README.md and the summary in README.md`);
  }
  const failed = scenarios.some((s) => [s.authnest, s.baseline?.result, ...s.others.map((o) => o.result)].some((r) => r?.rounds.some((m) => m.failed > 0)));
  if (failed) {
    console.error('some responses were not 2xx or not correct (see FAILED RESPONSES above)');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
