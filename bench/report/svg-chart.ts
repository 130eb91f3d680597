/** The chart of a bench run: bench/results/latest.svg, shown under the README's results table. */
import type { BenchReport, ScenarioResult } from '../results.js';
import { contendersOf, failuresOf, panelsOf } from './contenders.js';
import { formatMs, formatRate, formatRatio, formatTarget } from './format.js';

const WIDTH = 1000;
const MARGIN = 16;
/** Contender names sit left of the bars, latencies right-aligned at the right margin. */
const NAME_X = 32;
const BAR_X = 170;
const BAR_MAX = 430;
const BAR = 16;
const GAP = 4;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = '#1f2937';
const MUTED = '#4b5563';
const GOOD = '#15803d';
const BAD = '#b91c1c';

/** The usual contenders keep their color from run to run; others take the rest in order of appearance. */
const KNOWN: Readonly<Record<string, string>> = {
  authnest: '#2563eb',
  'node-oidc-provider': '#f59e0b',
  'oauth2-server': '#10b981',
  'unguarded route': '#94a3b8',
};
const SPARE = ['#a855f7', '#ef4444', '#0891b2', '#84cc16', '#ec4899', '#78716c'];

/** Text escaped for XML content and attribute values, with the control characters XML forbids removed. */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A rough width of `text` in px at `size` px: wide enough for the usual sans-serif faces. */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

function colorsFor(report: BenchReport): Map<string, string> {
  const colors = new Map<string, string>();
  let spare = 0;
  for (const name of report.scenarios.flatMap((s) => contendersOf(s).map((c) => c.name))) {
    if (colors.has(name)) continue;
    colors.set(name, KNOWN[name] ?? SPARE[spare++ % SPARE.length]!);
  }
  return colors;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ''}>${content}</text>`;
}

/** The legend rows from `y` on; resolves the elements and the y below them. */
function legend(colors: Map<string, string>, y: number): { out: string[]; y: number } {
  const out: string[] = [];
  let x = MARGIN;
  for (const [name, color] of colors) {
    const width = 22 + textWidth(name, 12) + 24;
    if (x + width > WIDTH - MARGIN && x > MARGIN) {
      x = MARGIN;
      y += 20;
    }
    out.push(`<rect x="${x}" y="${y}" width="14" height="14" rx="2" fill="${color}"/>`, text(x + 20, y + 11.5, xml(name), 'font-size="12"'));
    x += width;
  }
  return { out, y: y + 26 };
}

/** The ratio beside authnest's bar, with the target and whether it was met. */
function ratioLabel(s: ScenarioResult): string {
  if (s.ratio === null) return '';
  const ratio = `<tspan font-weight="bold" fill="${INK}">${xml(formatRatio(s.ratio))}</tspan>`;
  if (s.target === null || s.met === null) return `  ${ratio}`;
  const mark = s.met ? `<tspan fill="${GOOD}">✓</tspan>` : `<tspan fill="${BAD}">✗</tspan>`;
  return `  ${ratio} ${mark} <tspan fill="${MUTED}">(target ${xml(formatTarget(s.target))})</tspan>`;
}

/** `  ⚠ 12 failed responses (authnest 12)` after a scenario's title, or nothing. */
function failureLabel(s: ScenarioResult): string {
  const { total, by } = failuresOf(s);
  if (total === 0) return '';
  const who = by.map((c) => `${c.name} ${c.failed}`).join(', ');
  return `  <tspan fill="${BAD}">${xml(`⚠ ${total} failed response${total === 1 ? '' : 's'} (${who})`)}</tspan>`;
}

/** One scenario from `y` on: its title, then a bar per contender. Resolves the elements and the y below them. */
function group(s: ScenarioResult, colors: Map<string, string>, y: number): { out: string[]; y: number } {
  const out = [text(MARGIN, y + 13, `${xml(clip(s.title, 80))}${failureLabel(s)}`, `font-size="13" font-weight="600" fill="${INK}"`)];
  y += 20;
  const shown = contendersOf(s);
  const rates = shown.map((c) => (Number.isFinite(c.result.median.rate) ? Math.max(0, c.result.median.rate) : 0));
  const max = Math.max(...rates, Number.MIN_VALUE);
  shown.forEach((c, i) => {
    const { latency } = c.result.median;
    const length = Math.max(2, (rates[i]! / max) * BAR_MAX);
    const middle = y + BAR / 2 + 4;
    out.push(
      text(NAME_X, middle, xml(clip(c.name, 20)), `font-size="12" fill="${MUTED}"`),
      `<rect x="${BAR_X}" y="${y}" width="${length.toFixed(1)}" height="${BAR}" rx="2" fill="${colors.get(c.name) ?? SPARE[0]}"/>`,
      text(BAR_X + length + 6, middle, `${xml(`${formatRate(c.result.median.rate)} ${s.unit}`)}${c.role === 'authnest' ? ratioLabel(s) : ''}`, `font-size="12" fill="${INK}"`),
      text(WIDTH - MARGIN, middle, xml(`${formatMs(latency.p50)} / ${formatMs(latency.p99)} ms`), `font-size="12" fill="${MUTED}" text-anchor="end"`),
    );
    y += BAR + GAP;
  });
  return { out, y: y + 12 };
}

/**
 * The run as one self-contained SVG, 1000 px wide, as tall as its rows: a legend (a fixed color per contender name),
 * then a panel per (platform, database) with a group of horizontal bars per scenario, one bar per contender (authnest,
 * the baseline, the others). A bar's length is its median rate, scaled per scenario (the fastest contender of a
 * scenario gets the full length, since the scenarios' rates differ a hundredfold); the rate and, beside authnest's bar,
 * the ratio follow the bar; p50 / p99 stand right-aligned in their own column. Every text is escaped for XML.
 */
export function svgChart(report: BenchReport): string {
  const colors = colorsFor(report);
  const when = `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const out = [
    text(MARGIN, 26, xml(`authnest benchmarks, ${when}`), `font-size="17" font-weight="bold" fill="${INK}"`),
    text(MARGIN, 46, xml(`${report.machine.cpuModel}, ${report.machine.cores} cores, Node ${report.machine.node}; ${report.method.connections} connections, median of ${report.method.rounds} x ${report.method.roundSeconds} s rounds. Bars: rate, scaled per scenario.`), `font-size="12" fill="${MUTED}"`),
  ];
  const legendRows = legend(colors, 60);
  out.push(...legendRows.out);
  let y = legendRows.y;
  for (const panel of panelsOf(report.scenarios)) {
    out.push(
      `<rect x="${MARGIN / 2}" y="${y}" width="${WIDTH - MARGIN}" height="26" rx="4" fill="#eef2f7"/>`,
      text(MARGIN, y + 18, xml(panel.label), `font-size="15" font-weight="bold" fill="${INK}"`),
      text(WIDTH - MARGIN, y + 17, 'latency p50 / p99', `font-size="12" fill="${MUTED}" text-anchor="end"`),
    );
    y += 36;
    for (const scenario of panel.scenarios) {
      const drawn = group(scenario, colors, y);
      out.push(...drawn.out);
      y = drawn.y;
    }
    y += 8;
  }
  if (report.scenarios.length === 0) {
    out.push(text(MARGIN, y + 14, 'No scenarios were run.', `font-size="13" fill="${MUTED}"`));
    y += 30;
  }
  const height = Math.ceil(y + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" role="img">`,
    `<title>${xml(`authnest benchmarks, ${when}`)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
