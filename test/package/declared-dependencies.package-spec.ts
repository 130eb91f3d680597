/**
 * Every package the installed authnest imports, followed from each `exports` entry through the shipped code and
 * declarations: declared in package.json, with types for the declarations, and no optional peer needed by the
 * main entry (a host without @nestjs/swagger, @nestjs/terminus or @nestjs/event-emitter must load and type-check it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEntries, type ExportsValue } from './support/exports-map.js';
import { moduleGraph, type BareImport } from './support/import-graph.js';
import { optionalPeers, type Manifest } from './support/install.js';
import { packageWorkspace } from './support/provided-workspace.js';

const workspace = packageWorkspace();
const manifest = JSON.parse(readFileSync(join(workspace.installed, 'package.json'), 'utf8')) as Manifest & { exports?: ExportsValue };
const optional = Object.keys(optionalPeers(manifest));
const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
const codeEntries = exportEntries(manifest.name, manifest.exports).filter((entry) => entry.subpath !== './package.json');

const describeImport = (found: BareImport): string => `${found.from} imports ${found.specifier}${found.how === 'dynamic' ? ' (dynamic)' : ''}`;

/** A package ships types itself, or authnest depends on its @types package. */
function hasTypes(name: string): boolean {
  if (name === manifest.name || Object.keys(manifest.peerDependencies ?? {}).includes(name)) return true;
  const atTypes = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
  if (Object.keys(manifest.dependencies ?? {}).includes(atTypes)) return true;
  const dir = [join(workspace.installed, 'node_modules', name), join(workspace.root, 'node_modules', name)].find((candidate) =>
    existsSync(join(candidate, 'package.json')),
  );
  if (!dir) return false;
  const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { types?: string; typings?: string; exports?: unknown };
  return Boolean(own.types ?? own.typings) || existsSync(join(dir, 'index.d.ts')) || JSON.stringify(own.exports ?? {}).includes('"types"');
}

describe.each(codeEntries.map((entry) => [entry.specifier, entry] as const))('%s, as installed', (_specifier, entry) => {
  const code = entry.code.map((target) => moduleGraph(workspace.installed, target, 'code'));
  const types = entry.types.map((target) => moduleGraph(workspace.installed, target, 'types'));
  const all = [...code, ...types];

  it('resolves every relative import to a shipped file', () => {
    expect(all.flatMap((graph) => graph.unresolved)).toEqual([]);
  });

  it('imports only packages declared as dependencies or peers', () => {
    const undeclared = all.flatMap((graph) => graph.bare).filter((found) => !declared.has(found.packageName));
    expect(undeclared.map(describeImport)).toEqual([]);
  });

  it('references in its declarations only packages that ship types (or whose @types are dependencies)', () => {
    const untyped = types.flatMap((graph) => graph.bare).filter((found) => !hasTypes(found.packageName));
    expect(untyped.map(describeImport), 'a user compiling with skipLibCheck: false would fail on these').toEqual([]);
  });

  if (entry.subpath === '.') {
    it('needs no optional peer, in code (static imports) or in declarations', () => {
      const needed = [
        ...code.flatMap((graph) => graph.bare).filter((found) => found.how === 'static'),
        ...types.flatMap((graph) => graph.bare),
      ].filter((found) => optional.includes(found.packageName));
      expect(needed.map(describeImport), 'load optional peers lazily (loadOptionalModule) and keep their types out of the main entry').toEqual([]);
    });
  }
});
