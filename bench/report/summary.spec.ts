import { describe, expect, it } from 'vitest';
import type { BenchReport, Measurement, Rounds } from '../results.js';
import { replaceBetweenMarkers } from './readme-table.js';
import { SUMMARY_MARKERS, summaryTable } from './summary.js';

const m = (rate: number): Measurement => ({ ok: rate, failed: 0, durationSeconds: 1, rate, latency: { p50: 1, p99: 2, mean: 1 } });
const r = (rate: number): Rounds => ({ rounds: [m(rate)], median: m(rate) });
const base = { title: 'client_credentials token, opaque', unit: 'req/s', others: [] };

const report: BenchReport = {
  startedAt: '2026-12-02T14:00:00.000Z',
  finishedAt: '2026-12-02T14:20:00.000Z',
  machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 24, node: 'v20.20.2', os: 'Linux', pinned: true },
  method: { connections: 10, roundSeconds: 5, warmupSeconds: 2, rounds: 3, loadGenerator: 'autocannon' },
  scenarios: [
    { ...base, id: 'token-opaque', platform: 'fastify', database: 'sqlite', authnest: r(6000), baseline: { name: 'node-oidc-provider', result: r(2000) }, ratio: 3, target: 2, met: true },
    { ...base, id: 'token-opaque', platform: 'express', database: 'sqlite', authnest: r(1500), baseline: { name: 'node-oidc-provider', result: r(2000) }, ratio: 0.75, target: 1, met: false },
    { ...base, id: 'code-flow', title: 'code flow', unit: 'logins/s', platform: 'fastify', database: 'sqlite', authnest: r(4.5), baseline: null, ratio: null, target: null, met: null },
    { ...base, id: 'token-opaque', platform: 'fastify', database: 'postgres', connections: 50, authnest: r(4200), baseline: { name: 'node-oidc-provider', result: r(2000) }, ratio: 2.1, target: 2, met: true },
  ],
  soak: null,
};

describe('summaryTable', () => {
  it('has a row per scenario and a column per platform and database', () => {
    const table = summaryTable(report);
    expect(table).toContain('| scenario | baseline | fastify · sqlite | express · sqlite | fastify · postgres · 50 connections |');
    expect(table).toContain('| client_credentials token, opaque | node-oidc-provider | 3.00x ✅ | 0.75x ❌ | 2.10x ✅ |');
    expect(table).toContain('| code flow | — | 4.50 logins/s | — | — |');
  });

  it('goes between its own markers', () => {
    const readme = `a\n${SUMMARY_MARKERS.start}\nold\n${SUMMARY_MARKERS.end}\nb`;
    expect(replaceBetweenMarkers(readme, 'new', SUMMARY_MARKERS)).toBe(`a\n${SUMMARY_MARKERS.start}\nnew\n${SUMMARY_MARKERS.end}\nb`);
  });
});
