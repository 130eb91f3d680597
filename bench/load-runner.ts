import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './results.js';
import { RESULT_PREFIX, type LoadSpec } from './load/load-spec.js';
import { pinned } from './processes.js';

const WORKER = fileURLToPath(new URL('./load/load-worker.js', import.meta.url));

/** Runs one round of load in a worker process pinned to `core` and resolves its measurement. */
export async function runLoad(spec: LoadSpec, core: number | null): Promise<Measurement> {
  const [command, args] = pinned(core, process.execPath, [WORKER, JSON.stringify(spec)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
  if (code !== 0 || line === undefined) throw new Error(`load worker failed (${code}):\n${stderr}${stdout.slice(-2000)}`);
  const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as Measurement & { errors?: string[] };
  if (result.errors && result.errors.length > 0) console.warn(`  errors: ${result.errors.slice(0, 3).join(' | ')}`);
  const { errors: _errors, ...measurement } = result;
  return measurement;
}
