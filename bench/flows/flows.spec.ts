import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../processes.js';
import { runCodeFlow } from './code-flow.js';
import { codeFlowLoad, refreshLoad, refreshStep } from './refresh-chain.js';

const MAIN = fileURLToPath(new URL('../../dist/bench/server/main.js', import.meta.url));
const BUILT = existsSync(MAIN);
if (!BUILT) console.warn(`bench/flows/flows.spec.ts skipped: ${MAIN} does not exist (run \`npm run build\` first)`);

describe.skipIf(!BUILT).each(['fastify', 'express'] as const)('load flows against the bench server on %s', (platform) => {
  let server: ServerProcess | undefined;
  let dir = '';
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authnest-flows-'));
    server = await startServer(`authnest ${platform}`, MAIN, await freePort(), { SAMPLE_DB: join(dir, 'db.sqlite'), BENCH_PLATFORM: platform }, null);
    base = server.url;
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in once and rotates the refresh token twice', async () => {
    const tokens = await runCodeFlow(base);
    const chain = { refreshToken: tokens.refreshToken };
    await refreshStep(base, chain);
    const second = chain.refreshToken;
    await refreshStep(base, chain);
    expect(second).not.toBe(tokens.refreshToken);
    expect(chain.refreshToken).not.toBe(second);
  });

  it('runs the code-flow load for 2 s without failures', async () => {
    const result = await codeFlowLoad(base, 4, 2);
    expect(result.errors).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
    expect(result.rate).toBeCloseTo(result.ok / result.durationSeconds);
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
  }, 20_000);

  it('runs the refresh-rotation load for 2 s without failures', async () => {
    const result = await refreshLoad(base, 4, 2);
    expect(result.errors).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.ok).toBeGreaterThan(0);
  }, 20_000);
});
