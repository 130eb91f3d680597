import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../client/support/login-app.js';
import { launchRedis, redisServerVersion } from '../../client/support/redis-server.js';

/**
 * A real throwaway redis-server (like `RedisServer` of the client suites, whose `redisServerVersion` says what is
 * missing) that an outage test can stop, freeze and start again on the same port: a restarted one has lost every key
 * (no persistence), as a Redis without AOF does.
 */
export class RedisProcess {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'authnest-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts one on a free port (`extraArgs`: e.g. `['--requirepass', 'pw']`). */
  static async start(extraArgs: string[] = []): Promise<RedisProcess> {
    redisServerVersion();
    const server = new RedisProcess(await freePort(), extraArgs);
    await server.restart();
    return server;
  }

  /** A port nothing listens on yet; `restart()` starts Redis there. */
  static async notYetStarted(): Promise<RedisProcess> {
    redisServerVersion();
    return new RedisProcess(await freePort(), []);
  }

  /** Starts it (again) on its port, empty. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is running');
    this.child = await launchRedis(this.port, this.dir, this.extraArgs);
  }

  /** Kills it (SIGKILL: no goodbye to the clients, as a crash). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.signalCode === null) child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes it (SIGSTOP): connections stay open, commands time out. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
