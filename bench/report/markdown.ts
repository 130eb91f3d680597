import type { BenchReport, Contender, Rounds, ScenarioResult, SoakResult } from '../results.js';
import { formatMs, formatRate, formatRatio } from './format.js';

function failedIn(rounds: Rounds): number {
  return rounds.rounds.reduce((sum, round) => sum + round.failed, 0);
}

function row(s: ScenarioResult): string {
  const m = s.authnest.median;
  const baseline = s.baseline ? `${s.baseline.name} ${formatRate(s.baseline.result.median.rate)}` : '—';
  const target = s.target === null ? '—' : `≥ ${s.target}x`;
  const met = s.met === null ? '—' : s.met ? '✅' : '❌';
  const others = s.others.map((o: Contender) => `${o.name} ${formatRate(o.result.median.rate)}`).join(', ') || '—';
  return `| ${s.title} | ${formatRate(m.rate)} ${s.unit} | ${formatMs(m.latency.p50)} / ${formatMs(m.latency.p99)} | ${baseline} | **${formatRatio(s.ratio)}** | ${target} | ${met} | ${others} |`;
}

function failures(scenarios: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const s of scenarios) {
    const contenders: [string, Rounds][] = [['authnest', s.authnest], ...(s.baseline ? [[s.baseline.name, s.baseline.result] as [string, Rounds]] : []), ...s.others.map((o): [string, Rounds] => [o.name, o.result])];
    for (const [name, rounds] of contenders) {
      const failed = failedIn(rounds);
      if (failed > 0) lines.push(`> ⚠️ ${s.title}: ${failed} failed responses from ${name}`);
    }
  }
  return lines;
}

function soakSection(soak: SoakResult): string[] {
  const first = soak.samples[0];
  const last = soak.samples[soak.samples.length - 1];
  return [
    `### Soak (${soak.platform}, ${soak.database})`,
    '',
    `${soak.durationSeconds} s of full load on ${soak.scenario}, tokens living ${soak.accessTokenTtl} s, purges every ${soak.purgeInterval} s.`,
    `Resident memory ${first ? first.rssMiB.toFixed(0) : '—'} → ${last ? last.rssMiB.toFixed(0) : '—'} MiB: growth ${(soak.rssGrowth * 100).toFixed(1)} % (limit 20 %);`,
    `access-token rows, most in the second half over the first: ${soak.rowGrowth.toFixed(2)} (limit 1.2): ${soak.met ? '✅ flat' : '❌ not flat'}.`,
  ];
}

/** The report as Markdown: a header line, one table per platform and database, failures, the soak. */
export function markdownReport(report: BenchReport): string {
  const { machine, method } = report;
  const lines = [
    `Run ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpuModel} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ${machine.os}; ` +
      `servers ${machine.pinned ? 'pinned to core 0, load on core 1' : 'not pinned'}. ${method.connections} connections, ${method.rounds} x ${method.roundSeconds} s rounds after ${method.warmupSeconds} s of warm-up; ${method.loadGenerator}.`,
  ];
  const groups = new Map<string, ScenarioResult[]>();
  for (const s of report.scenarios) {
    const key = `${s.platform} · ${s.database}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, scenarios] of groups) {
    lines.push('', `### ${key}`, '', '| scenario | authnest | p50 / p99 ms | baseline | ratio | target | met | others |', '|---|---|---|---|---|---|---|---|');
    lines.push(...scenarios.map(row));
    const failed = failures(scenarios);
    if (failed.length > 0) lines.push('', ...failed);
  }
  if (report.soak) lines.push('', ...soakSection(report.soak));
  return `${lines.join('\n')}\n`;
}
