/**
 * Every entry point of the installed package, from both hosts, once the optional peers are installed too (a user
 * of `authnest/health` has @nestjs/terminus): each `exports` subpath type-checks and loads under ESM `import` and
 * CommonJS `require` (Node's require(esm)), `./package.json` resolves, and the `authnest` bin runs. Runs after
 * host-app.package-spec.ts (see the sequencer in vitest.config.ts), whose hosts boot without the optional peers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand, timed } from './support/commands.js';
import { runEntryProbe, type ProbeRun } from './support/entry-probe.js';
import { exportEntries, type ExportsValue } from './support/exports-map.js';
import { npmInstall, optionalPeers, type Manifest } from './support/install.js';
import { packageWorkspace } from './support/provided-workspace.js';
import { HOST_KINDS, type HostKind } from './support/workspace.js';

const workspace = packageWorkspace();
const manifest = JSON.parse(readFileSync(join(workspace.installed, 'package.json'), 'utf8')) as Manifest & { exports?: ExportsValue };
const specifiers = exportEntries(manifest.name, manifest.exports)
  .filter((entry) => entry.subpath !== './package.json')
  .map((entry) => entry.specifier);
const probes = new Map<HostKind, ProbeRun>();

beforeAll(async () => {
  const peers = Object.entries(optionalPeers(manifest)).map(([name, range]) => `${name}@${range}`);
  if (peers.length > 0) await timed(`npm install of the optional peers (${peers.join(' ')})`, () => npmInstall(workspace.root, peers));
  await timed('entry-point probes compiled and run', async () => {
    const runs = await Promise.all(HOST_KINDS.map((kind) => runEntryProbe(workspace.repository, workspace.hosts[kind], specifiers)));
    HOST_KINDS.forEach((kind, index) => probes.set(kind, runs[index]!));
  });
}, 600_000);

describe.each(HOST_KINDS)('the entry points from the %s host', (kind) => {
  const host = workspace.hosts[kind];

  it(`was compiled to ${kind === 'esm' ? 'ES module imports' : 'CommonJS require() calls'} of authnest`, () => {
    const compiled = readFileSync(join(host.dir, 'dist', 'app.module.js'), 'utf8');
    expect(compiled).toMatch(kind === 'esm' ? /\bfrom ["']authnest["']/ : /\brequire\(["']authnest["']\)/);
  });

  it(`type-checks every exports subpath (${specifiers.join(', ')})`, () => {
    const probe = probes.get(kind)!;
    expect(probe.compile.ourErrors, probe.compile.output).toEqual([]);
    expect(probe.compile.ok, probe.compile.output).toBe(true);
  });

  it('loads every exports subpath, each with named exports', () => {
    const probe = probes.get(kind)!;
    expect(probe.run?.code, `${probe.run?.stdout ?? ''}\n${probe.run?.stderr ?? probe.compile.output}`).toBe(0);
    for (const specifier of specifiers) expect(probe.counts?.[specifier], specifier).toBeGreaterThan(0);
    if (probe.run?.stderr.trim()) console.log(`[package check] ${kind} probe stderr:\n${probe.run.stderr.trim()}`);
  });

  it('resolves authnest/package.json', async () => {
    const script =
      kind === 'esm'
        ? ["--input-type=module", '-e', "import manifest from 'authnest/package.json' with { type: 'json' }; console.log(manifest.version);"]
        : ['-e', "console.log(require('authnest/package.json').version);"];
    const result = await runCommand(process.execPath, script, { cwd: host.dir, timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });
});

describe('the authnest bin', () => {
  it('runs through npx from the installed package and prints its usage', async () => {
    const result = await runCommand('npx', ['--no', 'authnest', '--help'], { cwd: workspace.root, timeoutMs: 60_000 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/usage/i);
  });
});
