import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../../support/matrix.js';
import { RedisServer } from '../../client/support/redis-server.js';
import { startAppProcess, type AppProcess } from './app-process.js';
import { freshClusterDatabase, type ClusterDatabase } from './cluster-database.js';
import { RoundRobinProxy } from './round-robin-proxy.js';

/** The encryption secret every instance of a cluster shares (keys, sealed secrets, DPoP nonces). */
const CLUSTER_SECRET = 'cluster-encryption-secret-0123456789abcdef';

/**
 * The platform and shared-cache combinations the flow suites run: Express with everything in the database, Fastify
 * with a Redis for replay checks, rate limits and revocation notices (both paths, each suite's cost paid twice).
 */
export const CLUSTER_SETUPS: [Platform, 'database' | 'redis'][] = [
  ['express', 'database'],
  ['fastify', 'redis'],
];

/** For `beforeAll(() => Cluster.start(...), CLUSTER_BOOT_TIMEOUT_MS)`: three processes booting on a busy machine. */
export const CLUSTER_BOOT_TIMEOUT_MS = 180_000;

export interface ClusterSpec {
  platform: Platform;
  /** Instances behind the proxy. @default 3 */
  instances?: number;
  /** Environment of every instance besides the cluster's own (e.g. SAMPLE_REUSE_GRACE). */
  env?: Record<string, string>;
  /** Milliseconds each instance's clock is ahead, by index (missing: 0). */
  skewMs?: number[];
  /** Start a redis-server and give every instance REDIS_URL (replay caches and rate limits through Redis). */
  redis?: boolean;
}

/**
 * Several processes of the sample's cluster entry (`dist/sample/cluster/main.js`) on one database (a fresh
 * PostgreSQL database, or one SQLite file), with one encryption secret, behind a round-robin proxy whose URL is
 * every instance's ISSUER: consecutive requests through `url` land on different processes. `instanceUrl(i)` reaches
 * one directly. `stop()` kills every process and drops the database, whatever state the cluster is in.
 */
export class Cluster {
  readonly instances: (AppProcess | undefined)[] = [];

  private constructor(
    readonly spec: ClusterSpec,
    readonly proxy: RoundRobinProxy,
    readonly database: ClusterDatabase,
    private readonly cwd: string,
    private readonly redis: RedisServer | undefined,
  ) {}

  /** The issuer, and the balancer's URL. */
  get url(): string {
    return this.proxy.url;
  }

  get size(): number {
    return this.instances.length;
  }

  instanceUrl(index: number): string {
    const instance = this.instances[index];
    if (!instance) throw new Error(`instance ${index} is not running`);
    return instance.url;
  }

  /**
   * Starts the cluster. On PostgreSQL every instance boots at once on the empty database (they migrate it in turn,
   * under authnest's schema lock); on SQLite the first one creates the file's schema before the others start.
   */
  static async start(spec: ClusterSpec): Promise<Cluster> {
    const proxy = await RoundRobinProxy.start();
    const cwd = mkdtempSync(join(tmpdir(), 'authnest-cluster-'));
    let database: ClusterDatabase | undefined;
    let redis: RedisServer | undefined;
    let cluster: Cluster | undefined;
    try {
      database = await freshClusterDatabase();
      redis = spec.redis ? await RedisServer.start() : undefined;
      cluster = new Cluster(spec, proxy, database, cwd, redis);
      const count = spec.instances ?? 3;
      const all = Array.from({ length: count }, (_, index) => index);
      const first = database.kind === 'postgres' ? [] : [0];
      await cluster.startInstances(first);
      await cluster.startInstances(all.slice(first.length));
      return cluster;
    } catch (error) {
      if (cluster) await cluster.stop();
      else {
        await proxy.close();
        await redis?.stop();
        await database?.drop();
        rmSync(cwd, { recursive: true, force: true });
      }
      throw error;
    }
  }

  /** Starts these slots at once; when one fails, waits for the others before rejecting (so `stop()` finds them all). */
  private async startInstances(indexes: number[]): Promise<void> {
    const started = await Promise.allSettled(indexes.map((index) => this.startInstance(index)));
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Starts (or restarts, on a new port) the instance in slot `index`, and puts it behind the proxy. */
  async startInstance(index: number, skewMs = this.spec.skewMs?.[index] ?? 0): Promise<AppProcess> {
    const env = {
      ...this.database.env,
      ...this.spec.env,
      ISSUER: this.url,
      AUTHNEST_ENCRYPTION_SECRET: CLUSTER_SECRET,
      SAMPLE_PLATFORM: this.spec.platform,
      ...(this.redis ? { REDIS_URL: this.redis.url } : {}),
    };
    const instance = await startAppProcess({ env, cwd: this.cwd, skewMs });
    this.instances[index] = instance;
    this.proxy.set(index, instance.url);
    return instance;
  }

  /** SIGKILLs instance `index` (a crash: no shutdown hooks, connections dropped) and waits until it is gone. */
  async kill(index: number): Promise<void> {
    await this.instances[index]?.kill('SIGKILL');
    this.instances[index] = undefined;
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance?.kill('SIGTERM')));
    this.instances.length = 0;
    await this.proxy.close();
    await this.redis?.stop();
    await this.database.drop();
    rmSync(this.cwd, { recursive: true, force: true });
  }
}
