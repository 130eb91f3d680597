/** Writing a bench run to disk: the result files, and the results section of the bench README. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from '../results.js';
import { markdownReport } from './markdown.js';
import { svgChart } from './svg-chart.js';

/** The README lines between which the latest results stand. */
export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/**
 * `text` with what lies between the first {@link RESULTS_START} and the {@link RESULTS_END} after it replaced by
 * `section` (on lines of its own; the markers stay). Throws if either marker is missing or they are out of order.
 */
export function replaceBetweenMarkers(text: string, section: string, markers = { start: RESULTS_START, end: RESULTS_END }): string {
  const start = text.indexOf(markers.start);
  const end = start < 0 ? -1 : text.indexOf(markers.end, start + markers.start.length);
  if (start < 0 || end < 0) {
    throw new Error(`no results markers: expected a line ${markers.start} followed later by a line ${markers.end}`);
  }
  return `${text.slice(0, start + markers.start.length)}\n${section.trim()}\n${text.slice(end)}`;
}

/** The paths {@link writeReport} wrote. */
export interface WrittenReport {
  json: string;
  markdown: string;
  svg: string;
}

/**
 * Writes the run into `dir` (made if need be): `latest.json` (pretty), `latest.md`, `latest.svg`, and a copy of the
 * JSON named after `startedAt` (`:` as `-`, e.g. `2026-12-02T13-00-00.000Z.json`); then puts the Markdown and the chart
 * (`results/latest.svg`, so the README is expected beside `dir`, named `results`) between the markers of `readmePath`.
 * The result files are written first, so a README without markers loses none of the run: the Error says so.
 * Resolves the paths of the three latest files.
 */
export async function writeReport(report: BenchReport, dir: string, readmePath: string): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const written: WrittenReport = { json: join(dir, 'latest.json'), markdown: join(dir, 'latest.md'), svg: join(dir, 'latest.svg') };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = markdownReport(report);
  await writeFile(written.json, json);
  await writeFile(join(dir, `${report.startedAt.replace(/:/g, '-')}.json`), json);
  await writeFile(written.markdown, markdown);
  await writeFile(written.svg, svgChart(report));
  const readme = await readFile(readmePath, 'utf8');
  let updated: string;
  try {
    updated = replaceBetweenMarkers(readme, `${markdown.trimEnd()}\n\n![Rates and latencies of the latest run](results/latest.svg)`);
  } catch (error) {
    throw new Error(`${readmePath}: ${(error as Error).message}; the results are in ${dir} all the same`, { cause: error });
  }
  await writeFile(readmePath, updated);
  return written;
}
