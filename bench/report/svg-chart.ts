import type { BenchReport, ScenarioResult } from '../results.js';
import { formatMs, formatRate, formatRatio } from './format.js';

const WIDTH = 1000;
const LABEL = 250;
const BAR_MAX = 520;
const BAR = 14;
const GAP = 4;
const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#64748b'];

/** Escapes text for XML content and attributes. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function bars(s: ScenarioResult): { name: string; rate: number; p50: number; p99: number }[] {
  return [
    { name: 'authnest', result: s.authnest },
    ...(s.baseline ? [{ name: s.baseline.name, result: s.baseline.result }] : []),
    ...s.others.map((o) => ({ name: o.name, result: o.result })),
  ].map(({ name, result }) => ({ name, rate: result.median.rate, p50: result.median.latency.p50, p99: result.median.latency.p99 }));
}

/**
 * One SVG of the run: a panel per platform and database, a group of horizontal bars per scenario (one per contender,
 * length = rate on the scenario's own scale), p50/p99 beside each bar and the ratio beside authnest's.
 */
export function svgChart(report: BenchReport): string {
  const names = [...new Set(report.scenarios.flatMap((s) => bars(s).map((b) => b.name)))];
  const color = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  const out: string[] = [];
  let y = 40;
  out.push(`<text x="16" y="24" font-size="16" font-weight="bold">authnest benchmarks, ${xml(report.startedAt.slice(0, 10))} (median rounds; bars scaled per scenario)</text>`);
  names.forEach((name, i) => {
    out.push(`<rect x="${16 + i * 165}" y="${y}" width="12" height="12" fill="${color(name)}"/><text x="${32 + i * 165}" y="${y + 11}" font-size="12">${xml(name)}</text>`);
  });
  y += 28;
  const panels = new Map<string, ScenarioResult[]>();
  for (const s of report.scenarios) panels.set(`${s.platform} · ${s.database}`, [...(panels.get(`${s.platform} · ${s.database}`) ?? []), s]);
  for (const [panel, scenarios] of panels) {
    out.push(`<text x="16" y="${y + 14}" font-size="14" font-weight="bold">${xml(panel)}</text>`);
    y += 24;
    for (const s of scenarios) {
      const group = bars(s);
      const max = Math.max(...group.map((b) => b.rate), 1);
      out.push(`<text x="16" y="${y + BAR - 2}" font-size="12">${xml(s.title)}</text>`);
      group.forEach((b, i) => {
        const length = Math.max(1, (b.rate / max) * BAR_MAX);
        const top = y + i * (BAR + GAP);
        const ratio = i === 0 && s.ratio !== null ? `  ${formatRatio(s.ratio)}` : '';
        out.push(
          `<rect x="${LABEL}" y="${top}" width="${length.toFixed(1)}" height="${BAR}" fill="${color(b.name)}"/>`,
          `<text x="${LABEL + length + 6}" y="${top + BAR - 3}" font-size="11">${xml(`${formatRate(b.rate)} ${s.unit}  p50 ${formatMs(b.p50)} / p99 ${formatMs(b.p99)} ms${ratio}`)}</text>`,
        );
      });
      y += group.length * (BAR + GAP) + 10;
    }
    y += 10;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" viewBox="0 0 ${WIDTH} ${y + 10}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...out,
    '</svg>',
  ].join('\n');
}
