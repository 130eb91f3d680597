import { readFile, writeFile } from 'node:fs/promises';
import type { BenchReport, ScenarioResult } from '../results.js';
import { configurationLabel } from './contenders.js';
import { formatMet, formatRate, formatRatio } from './format.js';
import { replaceBetweenMarkers } from './readme-table.js';

/** The project README's lines between which the summary of the latest run stands. */
export const SUMMARY_MARKERS = { start: '<!-- bench:summary:start -->', end: '<!-- bench:summary:end -->' };

function cell(s: ScenarioResult | undefined): string {
  if (!s) return '—';
  if (s.ratio === null) return `${formatRate(s.authnest.median.rate)} ${s.unit}`;
  return `${formatRatio(s.ratio)}${s.met === null ? '' : ` ${formatMet(s.met)}`}`;
}

/**
 * One table of the run for the project README: a row per scenario, a column per platform and database; a cell is the
 * ratio to the baseline (with ✅/❌ where there is a target), or the rate where there is no baseline.
 */
export function summaryTable(report: BenchReport): string {
  const configurations = [...new Set(report.scenarios.map(configurationLabel))];
  const ids = [...new Set(report.scenarios.map((s) => s.id))];
  const lines = [
    `| scenario | baseline | ${configurations.join(' | ')} |`,
    `|---|---|${configurations.map(() => '---|').join('')}`,
  ];
  for (const id of ids) {
    const first = report.scenarios.find((s) => s.id === id)!;
    const cells = configurations.map((c) => cell(report.scenarios.find((s) => s.id === id && configurationLabel(s) === c)));
    lines.push(`| ${first.title} | ${first.baseline?.name ?? '—'} | ${cells.join(' | ')} |`);
  }
  const soak = report.soak;
  const soakLine = soak
    ? `Soak (${soak.durationSeconds} s, ${soak.platform} · ${soak.database}): resident memory ${soak.rssGrowth >= 0 ? '+' : ''}${(soak.rssGrowth * 100).toFixed(1)} %, access-token rows at most ${soak.rowsOverWindow.toFixed(2)} of the tokens issued in the last ${soak.rowWindowSeconds} s ${formatMet(soak.met)}.`
    : '';
  return [`Latest run: ${report.startedAt.slice(0, 10)}, ${report.machine.cpuModel}, Node ${report.machine.node}.`, '', ...lines, '', soakLine].join('\n');
}

/** Puts the summary between the markers of the project README. */
export async function writeSummary(report: BenchReport, readmePath: string): Promise<void> {
  const readme = await readFile(readmePath, 'utf8');
  await writeFile(readmePath, replaceBetweenMarkers(readme, summaryTable(report), SUMMARY_MARKERS));
}
