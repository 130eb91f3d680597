import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOrThrow, timed, type CommandResult } from './commands.js';

/** The fields of authnest's package.json the install reads. */
export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export function readManifest(packageDir: string): Manifest {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
}

/** The peers a user must install (optional ones left out), at the ranges authnest declares. */
export function requiredPeers(manifest: Manifest): Record<string, string> {
  const meta = manifest.peerDependenciesMeta ?? {};
  return Object.fromEntries(Object.entries(manifest.peerDependencies ?? {}).filter(([name]) => !meta[name]?.optional));
}

/** The optional peers, at the ranges authnest declares. */
export function optionalPeers(manifest: Manifest): Record<string, string> {
  const meta = manifest.peerDependenciesMeta ?? {};
  return Object.fromEntries(Object.entries(manifest.peerDependencies ?? {}).filter(([name]) => meta[name]?.optional));
}

/** `npm install` as the README tells users to, quiet about audits and funding, from the cache when it can. */
export function npmInstall(root: string, specs: readonly string[] = []): Promise<CommandResult> {
  return runOrThrow('npm install', 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: root, timeoutMs: 600_000 });
}

/**
 * Writes the workspace's package.json (the tarball, the required peers, both HTTP platforms and @types/node for the
 * hosts' compile) and installs it once: better-sqlite3 compiles here when no prebuilt binary is reachable.
 */
export async function installWorkspace(root: string, tarball: string, repository: Manifest): Promise<CommandResult> {
  const nestRange = repository.peerDependencies?.['@nestjs/core'] ?? '*';
  const dependencies: Record<string, string> = {
    [repository.name]: `file:${tarball}`,
    ...requiredPeers(repository),
    '@nestjs/platform-express': nestRange,
    '@nestjs/platform-fastify': nestRange,
    '@types/node': repository.devDependencies?.['@types/node'] ?? '*',
  };
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'authnest-package-check', private: true, dependencies }, null, 2)}\n`);
  return timed('npm install of the tarball and the peers', () => npmInstall(root));
}
