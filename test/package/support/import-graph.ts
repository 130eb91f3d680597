import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** A bare (package) import found in the package's files. */
export interface BareImport {
  specifier: string;
  /** The package it names: `@scope/name` or `name`. */
  packageName: string;
  /** The importing file, relative to the package root. */
  from: string;
  /** `dynamic`: `import('x')`, loaded only when the code runs; in declarations, a type reference. */
  how: 'static' | 'dynamic';
}

/** The files reachable from one entry point by relative imports, and the packages they import. */
export interface ModuleGraph {
  files: string[];
  bare: BareImport[];
  /** Relative imports that point at no file of the package. */
  unresolved: string[];
}

/** Code (`.js`) or declarations (`.d.ts`): declarations import `./x.js` and mean `./x.d.ts`. */
export type GraphKind = 'code' | 'types';

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageNameOf(specifier));
}

/** The module specifiers a JS or .d.ts file names (comments ignored, string contents mostly). */
export function specifiersOf(source: string): { specifier: string; how: BareImport['how'] }[] {
  const references = [...source.matchAll(/^\/\/\/\s*<reference\s+types=["']([^"']+)["']/gm)].map((m) => m[1]!);
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: { specifier: string; how: BareImport['how'] }[] = references.map((specifier) => ({ specifier, how: 'static' }));
  for (const pattern of [/\bfrom\s*["']([^"'\n]+)["']/g, /(?:^|[;\s])import\s*["']([^"'\n]+)["']/gm]) {
    for (const match of code.matchAll(pattern)) found.push({ specifier: match[1]!, how: 'static' });
  }
  for (const match of code.matchAll(/\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g)) found.push({ specifier: match[1]!, how: 'dynamic' });
  return found;
}

function resolveRelative(fromFile: string, specifier: string, kind: GraphKind): string | undefined {
  const base = join(dirname(fromFile), specifier);
  const candidates =
    kind === 'types'
      ? [base.replace(/\.(m|c)?js$/, '.d.$1ts'), `${base}.d.ts`, join(base, 'index.d.ts'), base]
      : [base, `${base}.js`, join(base, 'index.js')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Walks the relative imports from `entry` (a file of the package), collecting the package imports on the way. */
export function moduleGraph(packageDir: string, entry: string, kind: GraphKind): ModuleGraph {
  const seen = new Set<string>();
  const bare: BareImport[] = [];
  const unresolved: string[] = [];
  const queue = [join(packageDir, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier, how } of specifiersOf(readFileSync(file, 'utf8'))) {
      const from = relative(packageDir, file);
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier, kind);
        if (target) queue.push(target);
        else unresolved.push(`${from}: ${specifier}`);
      } else if (!isBuiltin(specifier)) {
        bare.push({ specifier, packageName: packageNameOf(specifier), from, how });
      }
    }
  }
  return { files: [...seen].map((file) => relative(packageDir, file)).sort(), bare, unresolved };
}
