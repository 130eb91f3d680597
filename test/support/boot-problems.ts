import { expect } from 'vitest';
import { AuthConfigError, type AuthModuleOptions } from '../../src/index.js';
import type { Database, Platform } from './matrix.js';
import { bootTestApp } from './test-app.js';

/** The problems a boot with these options (over `scopes`) fails with; an AuthConfigError is required. */
export async function bootProblems(platform: Platform, db: Database, scopes: string[], options: Partial<AuthModuleOptions>): Promise<readonly string[]> {
  const error = await bootTestApp({ platform, db, options: { scopes, ...options } }).then(
    async (t) => {
      await t.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthConfigError);
  return (error as AuthConfigError).problems;
}
