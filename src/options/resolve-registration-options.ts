import { sha256Hex } from '../internal/sha256.js';
import type { AuthModuleOptions, ClientAuthMethod } from './auth-options.interface.js';
import type { RateLimitWindow } from './flow-options.interface.js';
import type { RegistrationMode } from './registration-options.interface.js';

/** `registration` with defaults applied. The initial access tokens are kept only as SHA-256 hex digests. */
export interface ResolvedRegistrationOptions {
  mode: RegistrationMode;
  initialAccessTokenHashes: string[];
  allowedScopes: string[];
  defaultScopes: string[];
  grantTypes: string[];
  authMethods: ClientAuthMethod[];
  registrationAccessTokenTtl: number;
  secretBytes: number;
  rateLimit: RateLimitWindow;
}

const ALL_AUTH_METHODS: ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];

/**
 * Defaults of `registration` and its unsafe combinations (shapes are validated with the rest by
 * `resolveAuthOptions`). Grant types are checked against the registered grants at module init.
 */
export function resolveRegistrationOptions(raw: AuthModuleOptions, scopes: readonly string[], problems: string[]): ResolvedRegistrationOptions {
  const options = raw.registration ?? {};
  const mode = options.mode ?? 'disabled';
  const tokens = options.initialAccessTokens ?? [];
  if (mode === 'initial-access-token' && tokens.length === 0) {
    problems.push("registration.initialAccessTokens: required when registration.mode is 'initial-access-token'");
  }
  if (mode !== 'initial-access-token' && tokens.length > 0) {
    problems.push(`registration.initialAccessTokens: only used when registration.mode is 'initial-access-token' (it is '${mode}')`);
  }
  const allowedScopes = options.allowedScopes ?? [...scopes];
  const defaultScopes = options.defaultScopes ?? [];
  allowedScopes.filter((scope) => !scopes.includes(scope)).forEach((scope) => problems.push(`registration.allowedScopes: '${scope}' is not in scopes`));
  defaultScopes
    .filter((scope) => !allowedScopes.includes(scope))
    .forEach((scope) => problems.push(`registration.defaultScopes: '${scope}' is not in registration.allowedScopes`));
  const grantTypes = options.grantTypes ?? ['authorization_code', 'refresh_token'];
  if (mode === 'open' && grantTypes.includes('client_credentials') && options.allowedScopes === undefined) {
    problems.push(
      "registration.allowedScopes: required when mode 'open' allows client_credentials (anyone could get tokens for every scope without a user)",
    );
  }
  return {
    mode,
    initialAccessTokenHashes: tokens.map((token) => sha256Hex(token)),
    allowedScopes,
    defaultScopes,
    grantTypes,
    authMethods: options.authMethods ?? ALL_AUTH_METHODS,
    registrationAccessTokenTtl: options.registrationAccessTokenTtl ?? 0,
    secretBytes: options.secretBytes ?? 32,
    rateLimit: options.rateLimit ?? { max: 20, window: 900 },
  };
}
