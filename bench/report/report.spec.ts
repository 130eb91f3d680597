import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport, Measurement, Rounds } from '../results.js';
import { formatRate } from './format.js';
import { markdownReport } from './markdown.js';
import { replaceBetweenMarkers, writeReport } from './readme-table.js';
import { svgChart } from './svg-chart.js';

const m = (rate: number, failed = 0): Measurement => ({ ok: rate * 5, failed, durationSeconds: 5, rate, latency: { p50: 1.234, p99: 12.34, mean: 2 } });
const r = (rate: number, failed = 0): Rounds => ({ rounds: [m(rate, failed)], median: m(rate, failed) });

const report: BenchReport = {
  startedAt: '2026-12-02T13:00:00.000Z',
  finishedAt: '2026-12-02T13:20:00.000Z',
  machine: { cpuModel: 'Test CPU <x86>', cores: 2, memoryGiB: 24, node: 'v20.20.2', os: 'Linux 6', pinned: true },
  method: { connections: 10, roundSeconds: 5, warmupSeconds: 2, rounds: 1, loadGenerator: 'autocannon' },
  scenarios: [
    {
      id: 'token-opaque', title: 'client_credentials token, opaque', platform: 'fastify', database: 'sqlite', unit: 'req/s',
      authnest: r(6200), baseline: { name: 'node-oidc-provider', result: r(3100) }, others: [{ name: 'oauth2-server', result: r(2200) }],
      ratio: 2, target: 2, met: true,
    },
    {
      id: 'code-flow', title: 'authorization code + PKCE', platform: 'express', database: 'postgres', unit: 'logins/s',
      authnest: r(4.5, 3), baseline: null, others: [], ratio: null, target: null, met: null,
    },
  ],
  soak: {
    platform: 'fastify', database: 'sqlite', scenario: 'token-opaque', durationSeconds: 300, accessTokenTtl: 30, purgeInterval: 15,
    samples: [{ t: 10, rssMiB: 120, accessTokenRows: 100 }, { t: 300, rssMiB: 126, accessTokenRows: 110 }],
    rssGrowth: 0.05, rowGrowth: 1.1, met: true,
  },
};

describe('bench report', () => {
  it('formats rates to three significant figures', () => {
    expect([formatRate(12345), formatRate(999.4), formatRate(4.567)]).toEqual(['12.3k', '999', '4.57']);
  });

  it('has a table per platform and database with ratios, targets and failures', () => {
    const md = markdownReport(report);
    expect(md).toContain('### fastify · sqlite');
    expect(md).toContain('### express · postgres');
    expect(md).toContain('| client_credentials token, opaque | 6.2k req/s | 1.23 / 12.3 | node-oidc-provider 3.1k | **2.00x** | ≥ 2x | ✅ | oauth2-server 2.2k |');
    expect(md).toContain('| authorization code + PKCE | 4.5 logins/s | 1.23 / 12.3 | — | **—** | — | — | — |');
    expect(md).toContain('3 failed responses from authnest');
    expect(md).toContain('growth 5.0 %');
  });

  it('draws a well-formed SVG with every text escaped', () => {
    const svg = svgChart({ ...report, scenarios: [{ ...report.scenarios[0]!, title: 'a <b> & "c"' }] });
    expect(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    const texts = [...svg.matchAll(/<text[^>]*>([^]*?)<\/text>/g)].map((match) => match[1]!);
    expect(texts.every((text) => !text.includes('<'))).toBe(true);
  });

  it('replaces the README section between the markers, and refuses a README without them', async () => {
    const readme = 'intro\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\nafter\n';
    expect(replaceBetweenMarkers(readme, 'new')).toBe('intro\n<!-- bench:results:start -->\nnew\n<!-- bench:results:end -->\nafter\n');
    expect(() => replaceBetweenMarkers('no markers', 'x')).toThrow(/markers/);
    const dir = await mkdtemp(join(tmpdir(), 'authnest-report-'));
    await writeFile(join(dir, 'README.md'), readme);
    const written = await writeReport(report, join(dir, 'results'), join(dir, 'README.md'));
    expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(report);
    expect(await readFile(join(dir, 'results', '2026-12-02T13-00-00.000Z.json'), 'utf8')).toContain('token-opaque');
    const updated = await readFile(join(dir, 'README.md'), 'utf8');
    expect(updated).toContain('**2.00x**');
    expect(updated).toContain('![req/s and latency of the latest run](results/latest.svg)');
  });
});
