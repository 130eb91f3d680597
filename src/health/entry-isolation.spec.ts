import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(dirname(fileURLToPath(import.meta.url)));
const IMPORT = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?'([^']+)';/gm;

/** The packages a module imports, through every relative import it (transitively) makes; type-only imports too. */
function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('entries', () => {
  it('the main entry never loads @nestjs/terminus (an optional peer); authnest/health does', () => {
    expect([...packagesReachedFrom('index.ts')].filter((name) => name.startsWith('@nestjs/terminus'))).toEqual([]);
    expect(packagesReachedFrom('health/index.ts').has('@nestjs/terminus')).toBe(true);
  });
});
