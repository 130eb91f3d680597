import { spawn } from 'node:child_process';

/** What a finished command left behind. */
export interface CommandResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface CommandOptions {
  cwd: string;
  /** Added to the clean environment (see `cleanEnv`). */
  env?: Record<string, string>;
  /** Killed (SIGKILL) after this long. */
  timeoutMs: number;
}

/** Variables npm itself sets for scripts: a nested npm must not see them (it would act on this repository). */
const NPM_SCRIPT_VARIABLE = /^npm_(?!config_(cache|registry|userconfig|globalconfig|.*proxy)$)/i;

/**
 * The environment of a child: this process's, minus what `npm run` and the test runner added (npm lifecycle
 * variables, NODE_OPTIONS, VITEST*, AUTHNEST_*), so the package is installed and run as a user would.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || NPM_SCRIPT_VARIABLE.test(name)) continue;
    if (/^(NODE_OPTIONS|NODE_ENV|VITEST.*|TEST_.*|AUTHNEST_.*|INIT_CWD)$/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end (never through a shell), capturing its output. Never rejects on a failing exit. */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      stderr += `\n[package check] ${command} ${args.join(' ')} killed after ${options.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs a command and throws, with its output, unless it exits 0. */
export async function runOrThrow(what: string, command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code ?? result.signal}): ${command} ${args.join(' ')}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  }
  return result;
}

/** The last lines of a long output, for error messages. */
export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Logs how long a step took: the package check prints its timings. */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    console.log(`[package check] ${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
