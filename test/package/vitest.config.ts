import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Spec order: the tarball and its declared dependencies, then the host apps (booted without the optional peers),
 * then the entry points (which install the optional peers into the shared workspace).
 */
const ORDER = ['tarball', 'declared-dependencies', 'host-app', 'entry-points'];

class PackageCheckSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const index = ORDER.indexOf(basename(file.moduleId).replace(/\.package-spec\.ts$/, ''));
      return index < 0 ? ORDER.length : index;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * `npm run test:package`: packs the repository, installs the tarball into fresh Nest apps in a temp folder and
 * checks them (test/package). Separate from the main suite, which runs authnest from its sources.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/package/**/*.package-spec.ts'],
    globalSetup: ['test/package/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    sequence: { sequencer: PackageCheckSequencer },
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
