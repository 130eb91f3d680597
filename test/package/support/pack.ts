import { join } from 'node:path';
import { runOrThrow, timed } from './commands.js';

/** One file of the tarball, as `npm pack --json` lists it (paths relative to the package root). */
export interface PackedFile {
  path: string;
  size: number;
}

/** The tarball `npm pack` made. */
export interface PackedTarball {
  /** Absolute path of the .tgz. */
  file: string;
  /** Compressed size in bytes. */
  size: number;
  unpackedSize: number;
  files: PackedFile[];
  /** What `npm pack` printed (the `prepack` build included). */
  log: string;
}

interface NpmPackEntry {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

/**
 * `npm pack` of the repository into `destination`; its `prepack` script builds `dist/src` first.
 * AUTHNEST_PACKAGE_PREBUILT=1 packs the `dist/src` already there (`npm pack --ignore-scripts`), e.g. right after
 * `npm run build:package`.
 */
export async function packRepository(repository: string, destination: string): Promise<PackedTarball> {
  const prebuilt = process.env.AUTHNEST_PACKAGE_PREBUILT === '1';
  const args = ['pack', '--json', '--pack-destination', destination, ...(prebuilt ? ['--ignore-scripts'] : [])];
  const result = await timed(prebuilt ? 'npm pack of the existing build' : 'npm pack (prepack build included)', () =>
    runOrThrow('npm pack', 'npm', args, { cwd: repository, timeoutMs: 300_000 }),
  );
  const [entry] = parsePackJson(result.stdout);
  if (!entry) throw new Error(`npm pack printed no tarball:\n${result.stdout}`);
  const file = join(destination, entry.filename);
  console.log(
    `[package check] ${entry.filename}: ${(entry.size / 1024).toFixed(1)} kB packed, ${(entry.unpackedSize / 1024).toFixed(1)} kB unpacked, ${entry.files.length} files`,
  );
  return { file, size: entry.size, unpackedSize: entry.unpackedSize, files: entry.files, log: `${result.stdout}\n${result.stderr}` };
}

/** The JSON array `npm pack --json` prints last (the lifecycle scripts' output comes before it). */
function parsePackJson(stdout: string): NpmPackEntry[] {
  const start = stdout.lastIndexOf('\n[\n');
  const json = start >= 0 ? stdout.slice(start + 1) : stdout.trim();
  try {
    return JSON.parse(json) as NpmPackEntry[];
  } catch {
    throw new Error(`could not read npm pack's JSON output:\n${stdout}`);
  }
}
