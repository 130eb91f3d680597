import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FlowCookies } from './flow-cookies.js';
import { loadLoop } from './flow-load.js';

describe('loadLoop', () => {
  it('counts ok and failed steps, keeps distinct errors, and stops starting steps at the deadline', async () => {
    let calls = 0;
    const workers = new Set<number>();
    const result = await loadLoop({
      concurrency: 3,
      seconds: 0.3,
      step: async (worker) => {
        workers.add(worker);
        const n = ++calls;
        await sleep(10);
        if (n % 4 === 0) throw new Error('every fourth step fails', { cause: new Error('because') });
      },
    });
    expect([...workers].sort()).toEqual([0, 1, 2]);
    expect(result.ok + result.failed).toBe(calls);
    expect(result.failed).toBe(Math.floor(calls / 4));
    expect(result.errors).toEqual(['every fourth step fails: because']);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(0.3);
    expect(result.durationSeconds).toBeLessThan(0.5);
    expect(result.rate).toBeCloseTo(result.ok / result.durationSeconds);
    expect(result.latency.p50).toBeGreaterThanOrEqual(9);
    expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
    expect(result.latency.mean).toBeGreaterThanOrEqual(9);
  });

  it('reports zeros when every step fails', async () => {
    const result = await loadLoop({ concurrency: 1, seconds: 0.05, step: () => sleep(5).then(() => Promise.reject(new Error('no'))) });
    expect(result.ok).toBe(0);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.latency).toEqual({ p50: 0, p99: 0, mean: 0 });
    expect(result.rate).toBe(0);
  });
});

describe('FlowCookies', () => {
  it('sends cookies by path, replaces by name and path, and forgets Max-Age=0', () => {
    const cookies = new FlowCookies();
    const headers = new Headers();
    headers.append('set-cookie', 'session=s1; Path=/; HttpOnly');
    headers.append('set-cookie', 'interaction=i1; Path=/oauth/interaction/abc; Max-Age=600');
    cookies.store(headers);
    expect(cookies.header('/oauth/interaction/abc/login')).toBe('interaction=i1; session=s1');
    expect(cookies.header('/oauth/interaction/abcdef')).toBe('session=s1');
    expect(cookies.header('/oauth/authorize')).toBe('session=s1');
    const next = new Headers();
    next.append('set-cookie', 'session=s2; Path=/');
    next.append('set-cookie', 'interaction=; Path=/oauth/interaction/abc; Max-Age=0');
    cookies.store(next);
    expect(cookies.header('/oauth/interaction/abc')).toBe('session=s2');
  });
});
