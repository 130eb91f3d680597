import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { timed } from './commands.js';
import { buildHosts } from './hosts.js';
import { installWorkspace, readManifest } from './install.js';
import { packRepository } from './pack.js';
import { installedPackage, type PackageWorkspace } from './workspace.js';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Packs the repository (`npm pack`, whose `prepack` builds), installs the tarball with the peers into a fresh temp
 * folder and compiles the two host apps there; the specs then check what came out. AUTHNEST_PACKAGE_KEEP=1 keeps
 * the folder for a look after the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'authnest-package-')));
  console.log(`[package check] workspace ${root}`);
  const cleanup = (): void => {
    if (process.env.AUTHNEST_PACKAGE_KEEP === '1') console.log(`[package check] kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    const tarball = await packRepository(REPOSITORY, root);
    await installWorkspace(root, tarball.file, readManifest(REPOSITORY));
    const hosts = await timed('both hosts compiled', () => buildHosts(REPOSITORY, root));
    const workspace: PackageWorkspace = { repository: REPOSITORY, root, tarball, installed: installedPackage(root), hosts };
    project.provide('packageWorkspace', workspace);
    console.log(`[package check] setup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    cleanup();
    throw error;
  }
  return () => {
    cleanup();
    console.log(`[package check] total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
}
