import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../internal/sha256.js';
import { AuthConfigError } from './auth-config.error.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { resolveAuthOptions } from './resolve-options.js';

const ISSUER = 'https://auth.example.com';
const TOKEN = 'initial-access-token-0123456789abcdef';

function problems(registration: unknown, extra: Record<string, unknown> = {}): readonly string[] {
  try {
    resolveAuthOptions({ issuer: ISSUER, scopes: ['a', 'b'], ...extra, registration } as AuthModuleOptions, {});
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as AuthConfigError).problems;
  }
  throw new Error('expected an AuthConfigError');
}

describe('registration options', () => {
  it('defaults to disabled, and keeps initial access tokens only as SHA-256 digests', () => {
    const options = resolveAuthOptions({ issuer: ISSUER, scopes: ['a'], registration: { mode: 'initial-access-token', initialAccessTokens: [TOKEN] } }, {});
    expect(options.registration).toMatchObject({ mode: 'initial-access-token', initialAccessTokenHashes: [sha256Hex(TOKEN)], allowedScopes: ['a'], defaultScopes: [] });
    expect(JSON.stringify(options)).not.toContain(TOKEN);
    expect(resolveAuthOptions({ issuer: ISSUER }, {}).registration.mode).toBe('disabled');
  });

  it.each([
    ['a typo', { mode: 'open', grantType: ['x'] }, 'registration.grantType: property grantType should not exist'],
    ['an unknown mode', { mode: 'anyone' }, 'registration.mode: mode must be one of the following values: disabled, open, initial-access-token'],
    ['a short initial access token', { mode: 'initial-access-token', initialAccessTokens: ['short'] }, 'registration.initialAccessTokens: each initial access token must be at least 32 characters'],
    ['a token with spaces', { mode: 'initial-access-token', initialAccessTokens: [`${TOKEN} x`] }, 'registration.initialAccessTokens: each initial access token must be made of RFC 6750 b64token characters'],
    ['initial-access-token without tokens', { mode: 'initial-access-token' }, "registration.initialAccessTokens: required when registration.mode is 'initial-access-token'"],
    ['tokens in open mode', { mode: 'open', initialAccessTokens: [TOKEN] }, "registration.initialAccessTokens: only used when registration.mode is 'initial-access-token' (it is 'open')"],
    ['an allowed scope the server lacks', { mode: 'open', allowedScopes: ['c'] }, "registration.allowedScopes: 'c' is not in scopes"],
    ['a default scope not allowed', { mode: 'open', allowedScopes: ['a'], defaultScopes: ['b'] }, "registration.defaultScopes: 'b' is not in registration.allowedScopes"],
    [
      'open client_credentials with every scope',
      { mode: 'open', grantTypes: ['client_credentials'] },
      "registration.allowedScopes: required when mode 'open' allows client_credentials (anyone could get tokens for every scope without a user)",
    ],
    ['an unknown auth method', { mode: 'open', authMethods: ['tls_client_auth'] }, 'registration.authMethods: each value in authMethods must be one of the following values: client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, none'],
    ['a short secret', { mode: 'open', secretBytes: 8 }, 'registration.secretBytes: secretBytes must not be less than 16'],
  ])('refuses %s', (_case, registration, problem) => {
    expect(problems(registration)).toContain(problem);
  });

  it('accepts open client_credentials with an explicit allowlist', () => {
    const options = resolveAuthOptions({ issuer: ISSUER, scopes: ['a'], registration: { mode: 'open', grantTypes: ['client_credentials'], allowedScopes: [] } }, {});
    expect(options.registration.allowedScopes).toEqual([]);
  });
});
