import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../client/support/login-app.js';

/** The compiled cluster entry of the sample (`npm run build` / `npm test` compile it). */
export const CLUSTER_ENTRY = fileURLToPath(new URL('../../../dist/sample/cluster/main.js', import.meta.url));
/** The preload that shifts an instance's clock by SKEW_MS. */
export const SKEWED_CLOCK = fileURLToPath(new URL('./skewed-clock.mjs', import.meta.url));

/** Generous: a busy CI machine (two cores, other suites running) can take many times the usual 1 to 3 s. */
const BOOT_TIMEOUT_MS = 120_000;
/** Every child still running, killed when the test process exits however it exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});


/** One running app process. */
export interface AppProcess {
  url: string;
  pid: number;
  /** The last lines it printed (for failure messages). */
  output(): string;
  /** SIGKILL (a crash) or SIGTERM (a clean stop), resolving once it exited. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

/** What one instance runs with: the environment (beside PORT) and an optional clock skew. */
export interface AppProcessSpec {
  env: Record<string, string>;
  cwd: string;
  /** Milliseconds this instance's clock is ahead (negative: behind). */
  skewMs?: number;
}

/**
 * Starts `node dist/sample/cluster/main.js` on a free loopback port with only the given environment (no
 * NODE_OPTIONS or database URL inherited from the test runner), and resolves once it printed READY; rejects with its
 * output when it exits first or takes longer than 120 s.
 */
export async function startAppProcess(spec: AppProcessSpec): Promise<AppProcess> {
  if (!existsSync(CLUSTER_ENTRY)) throw new Error(`${CLUSTER_ENTRY} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const args = spec.skewMs ? ['--import', SKEWED_CLOCK, CLUSTER_ENTRY] : [CLUSTER_ENTRY];
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env, PORT: String(port), SKEW_MS: String(spec.skewMs ?? 0) };
  const child = spawn(process.execPath, args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-6000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance on ${port} not ready within ${BOOT_TIMEOUT_MS} ms:\n${output}`)), BOOT_TIMEOUT_MS);
    const onData = () => {
      if (/^READY /m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`instance on ${port} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
