/** The servers measured in a scenario, in the order the report shows them, and the grouping of scenarios. */
import type { Database, Platform, Rounds, ScenarioResult } from '../results.js';

/** One server of a scenario as the report shows it. */
export interface Shown {
  name: string;
  role: 'authnest' | 'baseline' | 'other';
  result: Rounds;
}

/** authnest first, then the baseline (if any), then the others. */
export function contendersOf(scenario: ScenarioResult): Shown[] {
  return [
    { name: 'authnest', role: 'authnest', result: scenario.authnest },
    ...(scenario.baseline ? [{ name: scenario.baseline.name, role: 'baseline' as const, result: scenario.baseline.result }] : []),
    ...scenario.others.map((other) => ({ name: other.name, role: 'other' as const, result: other.result })),
  ];
}

/** Failed responses over every round (not only the median one). */
export function failedIn(rounds: Rounds): number {
  return rounds.rounds.reduce((sum, round) => sum + round.failed, 0);
}

/** The failed responses of a scenario: the total, and the count per contender that had any. */
export function failuresOf(scenario: ScenarioResult): { total: number; by: { name: string; failed: number }[] } {
  const by = contendersOf(scenario)
    .map((c) => ({ name: c.name, failed: failedIn(c.result) }))
    .filter((c) => c.failed > 0);
  return { total: by.reduce((sum, c) => sum + c.failed, 0), by };
}

/** Scenarios of one platform and database (and connection count, when not the run's), in the order they were run. */
export interface Panel {
  platform: Platform;
  database: Database;
  /** `fastify · postgres`, or `fastify · postgres · 50 connections`. */
  label: string;
  scenarios: ScenarioResult[];
}

/** How a scenario's configuration is named: platform and database, and the connections when not the run's. */
export function configurationLabel(scenario: Pick<ScenarioResult, 'platform' | 'database' | 'connections'>): string {
  return `${scenario.platform} · ${scenario.database}${scenario.connections === undefined ? '' : ` · ${scenario.connections} connections`}`;
}

/** The scenarios grouped by configuration (`configurationLabel`), groups in order of first appearance. */
export function panelsOf(scenarios: readonly ScenarioResult[]): Panel[] {
  const panels = new Map<string, Panel>();
  for (const scenario of scenarios) {
    const label = configurationLabel(scenario);
    const panel = panels.get(label) ?? { platform: scenario.platform, database: scenario.database, label, scenarios: [] };
    panel.scenarios.push(scenario);
    panels.set(label, panel);
  }
  return [...panels.values()];
}
