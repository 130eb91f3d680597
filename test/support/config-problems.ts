import { AuthConfigError } from '../../src/options/auth-config.error.js';
import type { AuthModuleOptions } from '../../src/options/auth-options.interface.js';
import { resolveAuthOptions } from '../../src/options/resolve-options.js';

/**
 * The problems `resolveAuthOptions` reports for `raw` (with `issuer`, unless `raw` names one), for the options specs;
 * throws when the options are accepted or fail otherwise.
 */
export function configProblems(raw: Record<string, unknown>, issuer = 'https://auth.example.com'): readonly string[] {
  try {
    resolveAuthOptions({ issuer, ...raw } as unknown as AuthModuleOptions, {});
  } catch (error) {
    if (error instanceof AuthConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AuthConfigError');
}
