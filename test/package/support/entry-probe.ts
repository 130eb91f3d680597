import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, type CommandResult } from './commands.js';
import { compileHost } from './hosts.js';
import type { HostBuild } from './workspace.js';

/** What the probe printed: how many named exports each entry point had when loaded. */
export type ProbeCounts = Record<string, number>;

const PROBE_PREFIX = 'exports-probe ';

/**
 * A source file that imports every entry point of the exports map (`import * as`), so tsc checks each one's
 * declarations (with `skipLibCheck: false`) under the host's module system, and running it loads each one's code (`require` in the
 * CommonJS host, `import` in the ESM host).
 */
export function probeSource(specifiers: readonly string[]): string {
  const imports = specifiers.map((specifier, index) => `import * as entry${index} from '${specifier}';`);
  const counts = specifiers.map((specifier, index) => `  '${specifier}': Object.keys(entry${index}).length,`);
  return [
    '// Written by test/package/support/entry-probe.ts.',
    ...imports,
    '',
    'const counts: Record<string, number> = {',
    ...counts,
    '};',
    `console.log('${PROBE_PREFIX}' + JSON.stringify(counts));`,
    '',
  ].join('\n');
}

export interface ProbeRun {
  compile: HostBuild['compile'];
  run?: CommandResult;
  counts?: ProbeCounts;
}

/** Writes the probe into a host, compiles it alone (tsconfig.probe.json) and runs it. */
export async function runEntryProbe(repository: string, host: HostBuild, specifiers: readonly string[]): Promise<ProbeRun> {
  writeFileSync(join(host.dir, 'src', 'exports-probe.ts'), probeSource(specifiers));
  // skipLibCheck off: every declaration file the entry points reach is checked, authnest's and the packages' it names.
  const probeConfig = { extends: './tsconfig.json', compilerOptions: { skipLibCheck: false }, files: ['src/exports-probe.ts'], include: [] };
  writeFileSync(join(host.dir, 'tsconfig.probe.json'), `${JSON.stringify(probeConfig, null, 2)}\n`);
  const compile = await compileHost(repository, host.dir, 'tsconfig.probe.json');
  if (!compile.ok) return { compile };
  const run = await runCommand(process.execPath, [join(host.dir, 'dist', 'exports-probe.js')], { cwd: host.dir, timeoutMs: 120_000 });
  const line = run.stdout.split('\n').find((candidate) => candidate.startsWith(PROBE_PREFIX));
  return { compile, run, counts: line ? (JSON.parse(line.slice(PROBE_PREFIX.length)) as ProbeCounts) : undefined };
}
