import { runLoad } from './load-runner.js';
import type { LoadTarget } from './load/load-spec.js';
import type { Contender, Database, Measurement, MethodInfo, Platform, Rounds, ScenarioResult } from './results.js';
import type { ScenarioPlan } from './scenarios.js';

/** The round of median rate (the lower middle one for an even count). */
export function medianRound(rounds: readonly Measurement[]): Measurement {
  const sorted = [...rounds].sort((a, b) => a.rate - b.rate);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * The ratio of two servers measured in the same rounds: the median of the round-by-round ratios. Each pair of rounds
 * ran seconds apart, so a drift of the shared machine (another tenant, the clock) cancels out within the pair instead
 * of moving one server's median and not the other's.
 */
export function pairedRatio(numerator: readonly Measurement[], denominator: readonly Measurement[]): number | null {
  const ratios = numerator.flatMap((round, index) => {
    const other = denominator[index];
    return other && other.rate > 0 ? [round.rate / other.rate] : [];
  });
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  return ratios[Math.floor((ratios.length - 1) / 2)]!;
}

/**
 * Runs a scenario: a warm-up of every contender, then `rounds` rounds in which authnest and its baseline and the
 * others take turns (the order reversed every other round, so a drift of the machine hits both sides alike).
 * The ratio is the median of the round-by-round ratios (`pairedRatio`).
 */
export async function measureScenario(
  plan: ScenarioPlan,
  where: { platform: Platform; database: Database; connections?: number },
  method: MethodInfo,
  loadCore: number | null,
): Promise<ScenarioResult> {
  const contenders: { name: string; target: LoadTarget }[] = [
    { name: 'authnest', target: plan.authnest },
    ...(plan.baseline ? [plan.baseline] : []),
    ...plan.others,
  ];
  const measured = contenders.map(() => [] as Measurement[]);
  const round = (target: LoadTarget, seconds: number) => runLoad({ target, connections: method.connections, seconds }, loadCore);
  if (method.warmupSeconds > 0) for (const contender of contenders) await round(contender.target, method.warmupSeconds);
  for (let r = 0; r < method.rounds; r += 1) {
    const order = contenders.map((_, index) => index);
    if (r % 2 === 1) order.reverse();
    for (const index of order) measured[index]!.push(await round(contenders[index]!.target, method.roundSeconds));
  }
  const rounds = measured.map((list): Rounds => ({ rounds: list, median: medianRound(list) }));
  const authnest = rounds[0]!;
  const baseline: Contender | null = plan.baseline ? { name: plan.baseline.name, result: rounds[1]! } : null;
  const others = plan.others.map((other, index): Contender => ({ name: other.name, result: rounds[index + (baseline ? 2 : 1)]! }));
  const ratio = baseline ? pairedRatio(authnest.rounds, baseline.result.rounds) : null;
  return {
    id: plan.id,
    title: plan.title,
    platform: where.platform,
    database: where.database,
    ...(where.connections === undefined ? {} : { connections: where.connections }),
    unit: plan.unit,
    authnest,
    baseline,
    others,
    ratio,
    target: plan.target,
    met: plan.target === null || ratio === null ? null : ratio >= plan.target,
  };
}

/** One line for the console. */
export function summaryLine(result: ScenarioResult): string {
  const rate = (value: number) => value.toFixed(0).padStart(6);
  const failed = [result.authnest, result.baseline?.result, ...result.others.map((o) => o.result)]
    .filter((r): r is Rounds => r !== undefined)
    .reduce((sum, r) => sum + r.rounds.reduce((s, m) => s + m.failed, 0), 0);
  const baseline = result.baseline ? ` vs ${result.baseline.name} ${rate(result.baseline.result.median.rate)}` : '';
  const ratio = result.ratio === null ? '' : ` = ${result.ratio.toFixed(2)}x${result.target === null ? '' : ` (target ${result.target}x ${result.met ? 'met' : 'NOT met'})`}`;
  const others = result.others.map((other) => `; ${other.name} ${rate(other.result.median.rate).trim()}`).join('');
  return `${result.platform}/${result.database} ${result.id.padEnd(17)} ${rate(result.authnest.median.rate)} ${result.unit}${baseline}${ratio}${others}${failed > 0 ? `  FAILED RESPONSES: ${failed}` : ''}`;
}
