import { join } from 'node:path';
import type { PackedTarball } from './pack.js';

/** The two fresh host apps: the same sources compiled as an ES module app and as a CommonJS app. */
export type HostKind = 'esm' | 'cjs';
export const HOST_KINDS: readonly HostKind[] = ['esm', 'cjs'];

/** A compiled host app. */
export interface HostBuild {
  kind: HostKind;
  /** The host's folder (its package.json sets the module type); it resolves packages from the workspace. */
  dir: string;
  /** The compiled entry point. */
  main: string;
  /** tsc's diagnostics, and whether they are in authnest's declarations or the host's code (those fail the check). */
  compile: { ok: boolean; output: string; ourErrors: string[] };
}

/**
 * The temporary folder the package check installs into: the tarball, one `node_modules` shared by both hosts (so
 * better-sqlite3 compiles once), and the hosts below it.
 */
export interface PackageWorkspace {
  /** The repository that was packed. */
  repository: string;
  root: string;
  tarball: PackedTarball;
  /** The installed package: `<root>/node_modules/authnest`. */
  installed: string;
  hosts: Record<HostKind, HostBuild>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packageWorkspace: PackageWorkspace;
  }
}

/** Where the installed package lives inside a workspace root. */
export function installedPackage(root: string): string {
  return join(root, 'node_modules', 'authnest');
}
