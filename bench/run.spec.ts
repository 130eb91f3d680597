import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../dist/bench/run.js', import.meta.url));
const BUILT = existsSync(RUN);
if (!BUILT) console.warn(`bench/run.spec.ts skipped: ${RUN} does not exist (run \`npm run build\` first)`);

/**
 * `npm run bench` itself, cut short: the peers and authnest started, three scenarios with every response checked,
 * a 10 s soak, at 2 connections. Correctness only (CI's two cores also run other suites): the figures are not judged here.
 */
describe.skipIf(!BUILT)('npm run bench --quick', () => {
  it('measures authnest against node-oidc-provider with every response correct', async () => {
    // Light: CI runs other suites beside it, and full load on both cores for long makes their timing tests flaky.
    const args = [RUN, '--quick', '--warmup', '0', '--seconds', '1', '--connections', '2', '--platforms', 'fastify', '--databases', 'sqlite', '--scenarios', 'token-opaque,introspection,guarded-opaque', '--soak', '10'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/fastify\/sqlite token-opaque +\d+ req\/s vs node-oidc-provider +\d+ = [\d.]+x/);
    expect(output).toMatch(/fastify\/sqlite introspection +\d+ req\/s vs node-oidc-provider +\d+ = /);
    expect(output).toMatch(/fastify\/sqlite guarded-opaque +\d+ req\/s vs unguarded route/);
    expect(output).toMatch(/soak: rss -?[\d.]+ %, rows [\d.]+ of the last \d+ s of tokens/);
    expect(output).not.toContain('FAILED RESPONSES');
  }, 180_000);
});
