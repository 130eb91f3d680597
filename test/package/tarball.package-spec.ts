/**
 * What `npm pack` puts in the tarball (issue 11, item 5): the built package, its declarations, the manifest, README
 * and LICENSE, and nothing users do not need; and a manifest that resolves: an `exports` map with types first,
 * `./package.json`, a bin that runs, engines, and peers that are not also dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEntries, type ExportsValue } from './support/exports-map.js';
import { packageWorkspace } from './support/provided-workspace.js';

interface InstalledManifest {
  name: string;
  main?: string;
  types?: string;
  exports?: ExportsValue;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const workspace = packageWorkspace();
const paths = workspace.tarball.files.map((file) => file.path).sort();
const manifest = JSON.parse(readFileSync(join(workspace.installed, 'package.json'), 'utf8')) as InstalledManifest;
const entries = exportEntries(manifest.name, manifest.exports);

/** The only files a user needs: the compiled package and its declarations, and the three top-level files. */
const TOP_LEVEL = ['LICENSE', 'README.md', 'package.json'];
const SHIPPED = /^dist\/src\/.+(?<!\.spec|\.e2e-spec)\.(js|d\.ts)$/;

/** Packed size budget: the tarball is about 0.5 MB (1.9 MB unpacked, 800 files) today; far past this, something leaked in. */
const MAX_PACKED_BYTES = 1_500_000;

describe('the tarball', () => {
  it('holds package.json, README.md, LICENSE and the built dist/src with its declarations', () => {
    expect(paths).toEqual(expect.arrayContaining([...TOP_LEVEL, 'dist/src/index.js', 'dist/src/index.d.ts']));
  });

  it('holds nothing else: no sources, tests, specs, sample, bench, source maps or build info', () => {
    const extra = paths.filter((path) => !TOP_LEVEL.includes(path) && !SHIPPED.test(path));
    expect(extra, 'files users do not need (see "files" in package.json and the prepack build)').toEqual([]);
  });

  it('declares every module it ships (a .d.ts beside each .js)', () => {
    const undeclared = paths.filter((path) => path.endsWith('.js') && !paths.includes(path.replace(/\.js$/, '.d.ts')));
    expect(undeclared).toEqual([]);
  });

  it('ships only modules built from the current sources (no stale build output)', () => {
    const stale = paths
      .filter((path) => path.startsWith('dist/src/') && path.endsWith('.js'))
      .filter((path) => !existsSync(join(workspace.repository, path.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
    expect(stale, 'dist/src files without a source in src/: the prepack build must start from a clean dist/src').toEqual([]);
  });

  it(`stays under ${MAX_PACKED_BYTES / 1e6} MB packed`, () => {
    expect(workspace.tarball.size).toBeLessThan(MAX_PACKED_BYTES);
  });
});

describe('the packed manifest', () => {
  it('maps "./package.json" in its exports', () => {
    expect(entries.find((entry) => entry.subpath === './package.json')?.code).toEqual(['package.json']);
  });

  it('gives every code subpath its types, as the first condition', () => {
    for (const entry of entries.filter((candidate) => candidate.subpath !== './package.json')) {
      expect(entry.types, `${entry.subpath} has no "types" condition`).not.toEqual([]);
      for (const order of entry.conditionOrders.filter((keys) => keys.includes('types'))) {
        expect(order[0], `${entry.subpath}: "types" must come first (TypeScript takes the first condition that matches)`).toBe('types');
      }
    }
  });

  it('points every exports target, main, types and bin at a file of the tarball', () => {
    const targets = [
      ...entries.flatMap((entry) => [...entry.code, ...entry.types]),
      ...[manifest.main, manifest.types].filter((target): target is string => target !== undefined),
      ...Object.values(manifest.bin ?? {}),
    ].map((target) => target.replace(/^\.\//, ''));
    expect(targets.filter((target) => !paths.includes(target))).toEqual([]);
  });

  it('has a bin that starts with a node shebang', () => {
    expect(Object.keys(manifest.bin ?? {})).toContain('authnest');
    for (const target of Object.values(manifest.bin ?? {})) {
      expect(readFileSync(join(workspace.installed, target), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    }
  });

  it('declares no package both as a dependency and as a peer (npm would ignore the peer and may nest a copy)', () => {
    const peers = Object.keys(manifest.peerDependencies ?? {});
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => peers.includes(name))).toEqual([]);
  });

  it('requires Node.js 20.19 or newer (require(esm) without a flag) and builds before packing', () => {
    expect(manifest.engines?.node).toMatch(/^>=\s*(20\.(19|[2-9]\d)|2[1-9]|[3-9]\d)/);
    expect(manifest.scripts?.prepack).toBeTruthy();
  });
});
