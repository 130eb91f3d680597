/** The Markdown section of a bench run: what bench/results/latest.md and the README's results table hold. */
import type { BenchReport, ScenarioResult, SoakResult } from '../results.js';
import { failuresOf, panelsOf } from './contenders.js';
import { formatGrowth, formatMet, formatMs, formatRate, formatRatio, formatTarget } from './format.js';

/** Text made safe for a table cell: no line breaks, `|` escaped, no raw HTML. */
export function cell(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

const HEADER = '| scenario | authnest | p50 / p99 ms | baseline | ratio | target | met | others |';
const RULE = '|---|--:|--:|---|--:|:-:|:-:|---|';

function row(s: ScenarioResult): string {
  const median = s.authnest.median;
  const baseline = s.baseline ? `${cell(s.baseline.name)} ${formatRate(s.baseline.result.median.rate)}` : '—';
  const others = s.others.map((other) => `${cell(other.name)} ${formatRate(other.result.median.rate)}`).join(', ') || '—';
  const ratio = s.ratio === null ? '—' : `**${formatRatio(s.ratio)}**`;
  const cells = [
    cell(s.title),
    `${formatRate(median.rate)} ${cell(s.unit)}`,
    `${formatMs(median.latency.p50)} / ${formatMs(median.latency.p99)}`,
    baseline,
    ratio,
    formatTarget(s.target),
    formatMet(s.met),
    others,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** One warning line per scenario with failed responses in any round of any contender. */
function failureLines(scenarios: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const s of scenarios) {
    const { total, by } = failuresOf(s);
    if (total === 0) continue;
    const who = by.map((c) => `${cell(c.name)} ${c.failed}`).join(', ');
    lines.push(`> ⚠️ **${cell(s.title)}**: ${total} failed response${total === 1 ? '' : 's'} (${who}); its rates are not to be trusted.`);
  }
  return lines;
}

function soakSection(soak: SoakResult): string[] {
  const first = soak.samples[0];
  const last = soak.samples[soak.samples.length - 1];
  const rss = first && last ? `${first.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB` : '—';
  return [
    `### Soak: ${soak.platform} · ${soak.database}, ${cell(soak.scenario)} at full load`,
    '',
    '| duration | token TTL | purge every | RSS first → last | RSS growth | token rows / tokens of the last window | met |',
    '|--:|--:|--:|--:|--:|--:|:-:|',
    `| ${soak.durationSeconds} s | ${soak.accessTokenTtl} s | ${soak.purgeInterval} s | ${rss} | ${formatGrowth(soak.rssGrowth)} (limit +20 %) | ` +
      `${Number.isFinite(soak.rowsOverWindow) ? soak.rowsOverWindow.toFixed(2) : '—'} of ${soak.rowWindowSeconds} s (limit 1) | ${formatMet(soak.met)} |`,
  ];
}

function headerLine(report: BenchReport): string {
  const { machine, method } = report;
  const minutes = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 60_000;
  const took = Number.isFinite(minutes) ? ` (${Math.max(1, Math.round(minutes))} min)` : '';
  const when = `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC${took}`;
  const on = `${cell(machine.cpuModel)}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${cell(machine.node)}, ${cell(machine.os)}`;
  const pinned = machine.pinned ? 'servers and load pinned to separate cores' : 'not pinned';
  const how = `${method.connections} connections, ${method.rounds} x ${method.roundSeconds} s rounds after ${method.warmupSeconds} s warm-up, ${cell(method.loadGenerator)}`;
  return `Run ${when} on ${on}; ${pinned}. Method: ${how}. Rates and latencies are of each server's median round.`;
}

/**
 * The report as a Markdown section: a header line (date, machine, method), one table per (platform, database) with a
 * row per scenario and a warning under it for failed responses, then the soak if there was one. Ends with a newline.
 */
export function markdownReport(report: BenchReport): string {
  const lines = [headerLine(report)];
  for (const panel of panelsOf(report.scenarios)) {
    lines.push('', `### ${panel.label}`, '', HEADER, RULE, ...panel.scenarios.map(row));
    const failures = failureLines(panel.scenarios);
    if (failures.length > 0) lines.push('', ...failures);
  }
  if (report.soak) lines.push('', ...soakSection(report.soak));
  return `${lines.join('\n')}\n`;
}
