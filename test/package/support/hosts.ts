import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, timed } from './commands.js';
import type { HostBuild, HostKind } from './workspace.js';

/** The host app's sources (test/package/host), compiled by both hosts. */
const HOST_SOURCES = fileURLToPath(new URL('../host/', import.meta.url));

/**
 * A consumer's strict compile: `nodenext` for both hosts (the package.json `type` picks ESM or CommonJS output;
 * TypeScript 5.8+ lets CommonJS `require` an ES module under `nodenext`), with `skipLibCheck` as `nest new` sets
 * it. The entry-point probe compiles with `skipLibCheck: false` (see entry-probe.ts), checking authnest's
 * declarations themselves.
 */
const HOST_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  types: ['node'],
  rootDir: 'src',
  outDir: 'dist',
};

/** Writes one host app below the workspace root: package.json (module type), tsconfig.json, the sources. */
export function writeHost(root: string, kind: HostKind): string {
  const dir = join(root, kind);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const type = kind === 'esm' ? 'module' : 'commonjs';
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `authnest-host-${kind}`, private: true, type }, null, 2)}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: HOST_COMPILER_OPTIONS, include: ['src/**/*.ts'] }, null, 2)}\n`);
  for (const file of readdirSync(HOST_SOURCES).filter((name) => name.endsWith('.ts'))) {
    copyFileSync(join(HOST_SOURCES, file), join(dir, 'src', file));
  }
  return dir;
}

/** The repository's TypeScript compiler (the version authnest is built and tested with). */
export function typescriptCompiler(repository: string): string {
  return join(repository, 'node_modules', 'typescript', 'bin', 'tsc');
}

/** tsc diagnostics in authnest's declarations or in the host's own code; other packages' are only reported. */
export function ourDiagnostics(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /: error TS\d+/.test(line))
    .filter((line) => line.includes('node_modules/authnest/') || !line.includes('node_modules/'));
}

/** Compiles a host project (or another tsconfig of it) with tsc, collecting the diagnostics. */
export async function compileHost(repository: string, dir: string, project = 'tsconfig.json'): Promise<HostBuild['compile']> {
  const result = await runCommand(process.execPath, [typescriptCompiler(repository), '-p', join(dir, project), '--pretty', 'false'], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  const output = `${result.stdout}${result.stderr}`.trim();
  const ourErrors = ourDiagnostics(output);
  return { ok: result.code === 0 || (ourErrors.length === 0 && /error TS/.test(output)), output, ourErrors };
}

/** Writes and compiles both hosts (in parallel: tsc is mostly single-threaded). */
export async function buildHosts(repository: string, root: string): Promise<Record<HostKind, HostBuild>> {
  const build = async (kind: HostKind): Promise<HostBuild> => {
    const dir = writeHost(root, kind);
    const compile = await timed(`tsc of the ${kind} host`, () => compileHost(repository, dir));
    return { kind, dir, main: join(dir, 'dist', 'main.js'), compile };
  };
  const [esm, cjs] = await Promise.all([build('esm'), build('cjs')]);
  return { esm, cjs };
}
