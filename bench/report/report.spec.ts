import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchReport, Measurement, Rounds } from '../results.js';
import { formatMs, formatRate } from './format.js';
import { markdownReport } from './markdown.js';
import { replaceBetweenMarkers, writeReport } from './readme-table.js';
import { svgChart } from './svg-chart.js';

const measurement = (rate: number, failed = 0, p50 = 1.234, p99 = 12.34): Measurement => ({
  ok: rate * 5, failed, durationSeconds: 5, rate, latency: { p50, p99, mean: p50 * 1.2 },
});
/** Three rounds, the middle one the median; `failedRound` puts failures in the first (not the median) round. */
const rounds = (rate: number, failedRound = 0): Rounds => ({
  rounds: [measurement(rate * 0.9, failedRound), measurement(rate), measurement(rate * 1.1)],
  median: measurement(rate),
});

const report: BenchReport = {
  startedAt: '2026-12-02T13:00:00.000Z',
  finishedAt: '2026-12-02T13:20:00.000Z',
  machine: { cpuModel: 'Test CPU <x86> & co', cores: 2, memoryGiB: 24, node: 'v20.20.2', os: 'Linux 6', pinned: true },
  method: { connections: 10, roundSeconds: 5, warmupSeconds: 2, rounds: 3, loadGenerator: 'autocannon' },
  scenarios: [
    {
      id: 'token-opaque', title: 'client_credentials token, opaque', platform: 'fastify', database: 'sqlite', unit: 'req/s',
      authnest: rounds(6234), baseline: { name: 'node-oidc-provider', result: rounds(2700) },
      others: [{ name: 'oauth2-server', result: rounds(3120) }], ratio: 6234 / 2700, target: 2, met: true,
    },
    {
      id: 'guarded-opaque', title: 'guarded route | opaque', platform: 'fastify', database: 'sqlite', unit: 'req/s',
      authnest: rounds(9000), baseline: { name: 'unguarded route', result: rounds(20000, 7) }, others: [],
      ratio: 0.45, target: 0.5, met: false,
    },
    {
      id: 'code-flow', title: 'authorization code + PKCE', platform: 'express', database: 'postgres', unit: 'logins/s',
      authnest: rounds(4.5, 3), baseline: null, others: [], ratio: null, target: null, met: null,
    },
    {
      id: 'introspection', title: 'introspection', platform: 'express', database: 'postgres', connections: 50, unit: 'req/s',
      authnest: rounds(8000), baseline: { name: 'node-oidc-provider', result: rounds(3500) }, others: [], ratio: 8000 / 3500, target: 2, met: true,
    },
  ],
  soak: {
    platform: 'fastify', database: 'sqlite', scenario: 'token-opaque', durationSeconds: 300, accessTokenTtl: 30, purgeInterval: 15,
    samples: [{ t: 10, rssMiB: 120.2, accessTokenRows: 100, issued: 120 }, { t: 300, rssMiB: 126.4, accessTokenRows: 110, issued: 130 }],
    rowWindowSeconds: 55, rssGrowth: 0.05, rowsOverWindow: 0.85, met: true,
  },
};

/** Throws unless `svg` is well-formed XML as far as this chart goes: balanced tags, quoted attributes, escaped text. */
function assertWellFormed(svg: string): void {
  const open: string[] = [];
  const tokens = svg.trim().split(/(<[^>]*>)/).filter((t) => t !== '');
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      if (open.length === 0 && token.trim() !== '') throw new Error(`text outside the root: ${token}`);
      if (/[<>]|&(?!(amp|lt|gt|quot|apos);)/.test(token)) throw new Error(`unescaped text: ${token}`);
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>$/.exec(token);
    if (!tag) throw new Error(`malformed tag: ${token}`);
    const [, closing, name, , selfClosing] = tag;
    if (closing) {
      if (open.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else if (!selfClosing) {
      if (open.length === 0 && name !== 'svg') throw new Error(`root is <${name}>`);
      open.push(name!);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
}

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('bench report numbers', () => {
  it('rounds rates to three significant figures, thousands as k', () => {
    expect([12345, 5400, 999.6, 412, 4.567, 0, 1_234_567].map(formatRate)).toEqual(['12.3k', '5.40k', '1.00k', '412', '4.57', '0', '1.23M']);
    expect(formatRate(Number.NaN)).toBe('—');
  });

  it('gives latencies 2 decimals below 10 ms and 1 above', () => {
    expect([1.234, 9.994, 9.996, 12.34, 123.45].map(formatMs)).toEqual(['1.23', '9.99', '10.0', '12.3', '123.5']);
  });
});

describe('markdownReport', () => {
  const md = markdownReport(report);

  it('starts with a line on the date, the machine and the method', () => {
    const first = md.split('\n')[0]!;
    for (const part of ['2026-12-02 13:00 UTC (20 min)', 'Test CPU &lt;x86> & co', '2 cores', 'Node v20.20.2', 'pinned', '10 connections', '3 x 5 s rounds', '2 s warm-up', 'autocannon']) {
      expect(first).toContain(part);
    }
  });

  it('has one table per platform and database, a row per scenario with its ratio, target and whether it was met', () => {
    expect(md.match(/^### (fastify · sqlite|express · postgres)( · 50 connections)?$/gm)).toEqual(['### fastify · sqlite', '### express · postgres', '### express · postgres · 50 connections']);
    expect(md).toContain('| client_credentials token, opaque | 6.23k req/s | 1.23 / 12.3 | node-oidc-provider 2.70k | **2.31x** | >= 2x | ✅ | oauth2-server 3.12k |');
    expect(md).toContain('| guarded route \\| opaque | 9.00k req/s | 1.23 / 12.3 | unguarded route 20.0k | **0.45x** | >= 0.5x | ❌ | — |');
    expect(md).toContain('| authorization code + PKCE | 4.50 logins/s | 1.23 / 12.3 | — | — | — | — | — |');
  });

  it('warns under the table of failed responses in any round of any contender', () => {
    const [fastify, express] = md.split('### express');
    expect(fastify).toContain('> ⚠️ **guarded route \\| opaque**: 7 failed responses (unguarded route 7)');
    expect(express).toContain('> ⚠️ **authorization code + PKCE**: 3 failed responses (authnest 3)');
    expect(fastify).not.toContain('client_credentials token, opaque**: ');
  });

  it('ends with the soak', () => {
    expect(md).toContain('### Soak: fastify · sqlite, token-opaque at full load');
    expect(md).toContain('| 300 s | 30 s | 15 s | 120 → 126 MiB | +5.0 % (limit +20 %) | 0.85 of 55 s (limit 1) | ✅ |');
    expect(markdownReport({ ...report, soak: null })).not.toContain('Soak');
  });
});

describe('svgChart', () => {
  const svg = svgChart({ ...report, scenarios: [{ ...report.scenarios[0]!, title: 'a <b> & "c"' }, ...report.scenarios.slice(1)] });

  it('is a well-formed, self-contained SVG with every text escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    assertWellFormed(svg);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('Test CPU &lt;x86&gt; &amp; co');
    expect(svg).not.toMatch(/<script|<style|@import|href=|url\(/);
    expect(() => assertWellFormed('<svg><text>a < b</text></svg>')).toThrow(/malformed/);
    expect(() => assertWellFormed('<svg><text>a & b</text></svg>')).toThrow(/unescaped/);
    expect(() => assertWellFormed('<svg><text>a</svg>')).toThrow(/unbalanced/);
  });

  it('has a panel per platform and database, a legend, bars, latencies and the ratio beside authnest', () => {
    expect(svg).toContain('>fastify · sqlite<');
    expect(svg).toContain('>express · postgres<');
    expect(svg).toContain('>express · postgres · 50 connections<');
    for (const name of ['authnest', 'node-oidc-provider', 'oauth2-server', 'unguarded route']) expect(svg).toContain(`>${name}</text>`);
    expect(svg.match(/<rect [^>]*height="16"/g)).toHaveLength(8);
    expect(svg).toContain('1.23 / 12.3 ms');
    expect(svg).toMatch(/6\.23k req\/s {2}<tspan[^>]*>2\.31x<\/tspan>/);
    expect(svg).toContain('⚠ 7 failed responses (unguarded route 7)');
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(svgChart({ ...report, scenarios: report.scenarios.slice(0, 1) })).toMatch(new RegExp(`height="(?!${height}")\\d+"`));
  });

  it('gives a contender the same color in every panel', () => {
    const twice = svgChart({ ...report, scenarios: [report.scenarios[0]!, { ...report.scenarios[0]!, platform: 'express' }] });
    const fills = [...twice.matchAll(/<rect [^>]*height="16" rx="2" fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual([...fills.slice(0, 3), ...fills.slice(0, 3)]);
    expect(new Set(fills).size).toBe(3);
  });
});

describe('writing the report', () => {
  const readme = 'intro\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\nafter\n';

  it('replaces what is between the markers, keeping them', () => {
    expect(replaceBetweenMarkers(readme, 'new\n')).toBe('intro\n<!-- bench:results:start -->\nnew\n<!-- bench:results:end -->\nafter\n');
    expect(replaceBetweenMarkers(replaceBetweenMarkers(readme, 'one'), 'two')).toBe(replaceBetweenMarkers(readme, 'two'));
  });

  it('throws without both markers in order', () => {
    expect(() => replaceBetweenMarkers('no markers', 'x')).toThrow(/no results markers/);
    expect(() => replaceBetweenMarkers('<!-- bench:results:start -->\n', 'x')).toThrow(/bench:results:end/);
    expect(() => replaceBetweenMarkers('<!-- bench:results:end -->\n<!-- bench:results:start -->\n', 'x')).toThrow(/markers/);
  });

  it('writes latest.json/.md/.svg, a timestamped JSON, and the README section with the chart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authnest-report-'));
    temporary.push(dir);
    await writeFile(join(dir, 'README.md'), readme);
    const written = await writeReport(report, join(dir, 'results'), join(dir, 'README.md'));
    expect(written).toEqual({ json: join(dir, 'results', 'latest.json'), markdown: join(dir, 'results', 'latest.md'), svg: join(dir, 'results', 'latest.svg') });
    expect((await readdir(join(dir, 'results'))).sort()).toEqual(['2026-12-02T13-00-00.000Z.json', 'latest.json', 'latest.md', 'latest.svg']);
    const json = await readFile(written.json, 'utf8');
    expect(JSON.parse(json)).toEqual(report);
    expect(json).toContain('\n  "startedAt"');
    expect(await readFile(join(dir, 'results', '2026-12-02T13-00-00.000Z.json'), 'utf8')).toBe(json);
    expect(await readFile(written.markdown, 'utf8')).toBe(markdownReport(report));
    expect(await readFile(written.svg, 'utf8')).toBe(svgChart(report));
    const updated = await readFile(join(dir, 'README.md'), 'utf8');
    expect(updated.startsWith('intro\n<!-- bench:results:start -->\nRun 2026-12-02')).toBe(true);
    expect(updated).toContain('**2.31x**');
    expect(updated).toMatch(/!\[[^\]]+\]\(results\/latest\.svg\)\n<!-- bench:results:end -->\nafter\n$/);
  });

  it('keeps the result files when the README has no markers, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authnest-report-'));
    temporary.push(dir);
    await writeFile(join(dir, 'README.md'), 'no markers here\n');
    await expect(writeReport(report, join(dir, 'results'), join(dir, 'README.md'))).rejects.toThrow(/README\.md: no results markers.*results are in/);
    expect(await readdir(join(dir, 'results'))).toContain('latest.json');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('no markers here\n');
  });
});
