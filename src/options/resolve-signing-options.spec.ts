import { describe, expect, it } from 'vitest';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { resolveAuthOptions } from './resolve-options.js';
import { longestSignedLifetime } from './resolve-signing-options.js';

const ISSUER = 'https://auth.example.com';
const SECRET = 'x'.repeat(32);

function problems(options: Partial<AuthModuleOptions>): string[] {
  try {
    resolveAuthOptions({ issuer: ISSUER, ...options }, {});
  } catch (error) {
    if (error instanceof AuthConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('signing key rotation options', () => {
  it('defaults to a 60 s reload and a 900 s propagation delay', () => {
    const { signing } = resolveAuthOptions({ issuer: ISSUER }, {});
    expect(signing).toMatchObject({ reloadInterval: 60, propagationDelay: 900 });
  });

  it('accepts a propagation delay beyond reloadInterval + the JWKS max-age', () => {
    const { signing } = resolveAuthOptions({ issuer: ISSUER, signing: { encryptionSecret: SECRET, reloadInterval: 10, propagationDelay: 311 } }, {});
    expect(signing).toMatchObject({ reloadInterval: 10, propagationDelay: 311 });
  });

  it.each([
    [{ reloadInterval: 10, propagationDelay: 310 }, 'signing.propagationDelay: must exceed signing.reloadInterval + the JWKS max-age (10 + 300 seconds)'],
    [{ reloadInterval: 600 }, 'signing.propagationDelay: must exceed signing.reloadInterval + the JWKS max-age (600 + 300 seconds)'],
    [{ reloadInterval: 0 }, 'signing.reloadInterval'],
    [{ reloadInterval: 3601 }, 'signing.reloadInterval'],
    [{ propagationDelay: 1.5 }, 'signing.propagationDelay'],
    [{ propagationDelay: '900' }, 'signing.propagationDelay'],
  ])('refuses %j', (signing, message) => {
    const found = problems({ signing: signing as AuthModuleOptions['signing'] });
    expect(found.some((problem) => problem.startsWith(message)), found.join('\n')).toBe(true);
  });

  it('retains keys for the longest lifetime of anything signed', () => {
    expect(longestSignedLifetime(resolveAuthOptions({ issuer: ISSUER }, {}))).toBe(3600);
    expect(longestSignedLifetime(resolveAuthOptions({ issuer: ISSUER, accessToken: { ttl: 300 }, oidc: { idTokenTtl: 7200 } }, {}))).toBe(7200);
    expect(longestSignedLifetime(resolveAuthOptions({ issuer: ISSUER, accessToken: { ttl: 60 }, oidc: { idTokenTtl: 60 } }, {}))).toBe(120);
  });
});
