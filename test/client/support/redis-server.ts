import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './login-app.js';

const MISSING =
  'redis-server is not installed (not on PATH): the Redis store suites need it. Install it with ' +
  '`apt-get install -y redis-server` (Debian; .ci/run installs it in CI). These suites fail rather than skip.';

/** `redis-server --version`'s version, or throws the message above when the binary is missing. */
export function redisServerVersion(): string {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(MISSING);
  return /v=(\S+)/.exec(probe.stdout)?.[1] ?? probe.stdout.trim();
}

/**
 * A real throwaway redis-server on a free loopback port, without persistence (`--save '' --appendonly no`, in a
 * temp dir): `RedisServer.start()` in beforeAll, `stop()` in afterAll.
 */
export class RedisServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    redisServerVersion();
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'authnest-redis-'));
      try {
        return new RedisServer(await launchRedis(port, dir), port, dir);
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        lastError = error as Error; // most likely the port was taken between freePort and listen: try another
      }
    }
    throw lastError!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Starts redis-server on `port` without persistence, in `dir` (`extraArgs`: e.g. `['--requirepass', 'pw']`), and
 * resolves once it accepts connections (its log says so). Killed when this process exits.
 */
export function launchRedis(port: number, dir: string, extraArgs: string[] = []): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    child.once('error', (error) => reject(new Error(`${MISSING} (${error.message})`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log.slice(-2000)}`)));
  });
}
