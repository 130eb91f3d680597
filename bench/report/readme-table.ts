import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from '../results.js';
import { markdownReport } from './markdown.js';
import { svgChart } from './svg-chart.js';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** `text` with what lies between the result markers replaced by `section` (the markers stay). */
export function replaceBetweenMarkers(text: string, section: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the README has no ${START} ... ${END} markers`);
  return `${text.slice(0, start + START.length)}\n${section.trimEnd()}\n${text.slice(end)}`;
}

/**
 * Writes `latest.json`, `latest.md`, `latest.svg` and a timestamped JSON into `dir`, and the Markdown with a link to
 * the chart between the markers of `readmePath`. Resolves the three paths.
 */
export async function writeReport(report: BenchReport, dir: string, readmePath: string): Promise<{ json: string; markdown: string; svg: string }> {
  await mkdir(dir, { recursive: true });
  const paths = { json: join(dir, 'latest.json'), markdown: join(dir, 'latest.md'), svg: join(dir, 'latest.svg') };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = markdownReport(report);
  await writeFile(paths.json, json);
  await writeFile(join(dir, `${report.startedAt.replace(/:/g, '-')}.json`), json);
  await writeFile(paths.markdown, markdown);
  await writeFile(paths.svg, svgChart(report));
  const readme = await readFile(readmePath, 'utf8');
  await writeFile(readmePath, replaceBetweenMarkers(readme, `${markdown}\n![req/s and latency of the latest run](results/latest.svg)\n`));
  return paths;
}
