import { describe, expect, it } from 'vitest';
import { resolveAuthResourceOptions } from '../resource-server/resolve-auth-resource-options.js';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { resolveAuthOptions } from './resolve-options.js';

const ISSUER = 'https://auth.example.com/tenant';

function problems(options: Partial<AuthModuleOptions>): readonly string[] {
  try {
    resolveAuthOptions({ issuer: ISSUER, ...options } as AuthModuleOptions, {});
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as AuthConfigError).problems;
  }
  throw new Error('expected an AuthConfigError');
}

describe('dpop options', () => {
  it('is off without the option, on with every default with {}', () => {
    expect(resolveAuthOptions({ issuer: ISSUER }, {}).dpop.enabled).toBe(false);
    expect(resolveAuthOptions({ issuer: ISSUER, dpop: {} }, {}).dpop).toEqual({
      enabled: true,
      required: false,
      requireNonce: false,
      nonceLifetime: 300,
      proofMaxAge: 60,
      leeway: 15,
      algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'],
      resourceOrigin: 'https://auth.example.com',
    });
  });

  it('keeps explicit values and normalises the resource origin', () => {
    const dpop = { required: true, requireNonce: true, nonceLifetime: 120, proofMaxAge: 30, leeway: 0, algorithms: ['PS256' as const], resourceOrigin: 'HTTPS://API.Example.com:443' };
    expect(resolveAuthOptions({ issuer: ISSUER, dpop }, {}).dpop).toMatchObject({ ...dpop, resourceOrigin: 'https://api.example.com' });
  });

  it.each([
    [{ algorithms: ['HS256'] }, 'dpop.algorithms'],
    [{ algorithms: ['none'] }, 'dpop.algorithms'],
    [{ algorithms: [] }, 'dpop.algorithms'],
    [{ leeway: 61 }, 'dpop.leeway'],
    [{ proofMaxAge: 3600 }, 'dpop.proofMaxAge'],
    [{ nonceLifetime: 10 }, 'dpop.nonceLifetime'],
    [{ requireNonce: 'yes' }, 'dpop.requireNonce'],
    [{ typo: true }, 'dpop.typo'],
    [{ resourceOrigin: 'http://api.example.com' }, 'dpop.resourceOrigin'],
    [{ resourceOrigin: 'https://api.example.com/v1' }, 'dpop.resourceOrigin'],
    [{ resourceOrigin: 'https://api.example.com?x=1' }, 'dpop.resourceOrigin'],
  ])('refuses %j', (dpop, path) => {
    expect(problems({ dpop } as Partial<AuthModuleOptions>).some((problem) => problem.startsWith(path))).toBe(true);
  });

  it('refuses a client that must use DPoP while DPoP is off', () => {
    const clients = [{ clientId: 'c', clientSecret: 'c-secret-0001', dpopBoundAccessTokens: true }];
    expect(problems({ clients })).toEqual(['clients[0].dpopBoundAccessTokens: needs the dpop option (DPoP is off)']);
    expect(resolveAuthOptions({ issuer: ISSUER, clients, dpop: {} }, {}).clients[0]?.dpopBoundAccessTokens).toBe(true);
  });
});

describe('AuthResourceModule dpop options', () => {
  const base = { issuer: 'https://auth.example.com', audience: 'https://api.example.com' };

  it('needs an origin and applies defaults', () => {
    expect(resolveAuthResourceOptions(base).dpop).toBeUndefined();
    expect(resolveAuthResourceOptions({ ...base, dpop: { origin: 'https://API.example.com' } }).dpop).toEqual({
      origin: 'https://api.example.com',
      algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'],
      proofMaxAge: 60,
      leeway: 15,
    });
  });

  it.each([{}, { origin: 'https://api.example.com/v1' }, { origin: 'http://api.example.com' }, { origin: 'https://api.example.com', algorithms: ['HS256'] }])('refuses %j', (dpop) => {
    expect(() => resolveAuthResourceOptions({ ...base, dpop } as never)).toThrow(/dpop\./);
  });
});
