import type { ClientAuthMethod } from './auth-options.interface.js';
import type { RateLimitWindow } from './flow-options.interface.js';

/**
 * Who may register clients at `POST /oauth/register` (RFC 7591): nobody (the endpoint answers 404), anyone, or
 * whoever presents one of the configured initial access tokens (RFC 7591 section 3, as a Bearer token).
 */
export type RegistrationMode = 'disabled' | 'open' | 'initial-access-token';

/**
 * Dynamic client registration (RFC 7591) and management of the registered clients (RFC 7592). Registered
 * clients are never first-party (users always see the consent page) and never get introspection rights; clients
 * configured in `clients` are never reachable through these endpoints.
 */
export interface RegistrationOptions {
  /**
   * `disabled`: no registration endpoint (404) and no `registration_endpoint` in the metadata; `open`: anyone may
   * register; `initial-access-token`: a registration needs `Authorization: Bearer <one of initialAccessTokens>`.
   * @default 'disabled'
   */
  mode?: RegistrationMode;
  /**
   * The initial access tokens accepted in `initial-access-token` mode (required there, refused in the others):
   * 32 characters or more each (RFC 6750 `b64token` characters). Compared by SHA-256 in constant time, never logged.
   * @default []
   */
  initialAccessTokens?: string[];
  /**
   * The scopes a registered client may ask for in its `scope` metadata; each must be in the server's `scopes`.
   * Asking for another is `invalid_client_metadata`.
   * @default the server's `scopes`
   */
  allowedScopes?: string[];
  /**
   * The scopes a client gets when its registration names none (`scope` omitted); a subset of `allowedScopes`.
   * @default []
   */
  defaultScopes?: string[];
  /**
   * The grant types a registered client may ask for in `grant_types`; each must be a grant of the server.
   * `client_credentials` gets tokens without any user: with mode `open` it also needs `allowedScopes` set
   * explicitly.
   * @default ['authorization_code', 'refresh_token']
   */
  grantTypes?: string[];
  /**
   * The `token_endpoint_auth_method` values a registered client may ask for (the default of RFC 7591,
   * `client_secret_basic`, must be among them unless every registration names its method).
   * @default ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']
   */
  authMethods?: ClientAuthMethod[];
  /**
   * Seconds a registration access token (RFC 7592) stays valid; 0: until it is rotated (each PUT) or the client is
   * deleted.
   * @default 0
   */
  registrationAccessTokenTtl?: number;
  /**
   * Random bytes of a generated client secret (base64url; 32 bytes = 43 characters, 256 bits). Secrets are shown
   * once, in the registration response, and stored as scrypt hashes only.
   * @default 32
   */
  secretBytes?: number;
  /**
   * Registration requests per client address (the platform's `request.ip`), successful or not, counted in the
   * database; over the limit: 429 with `Retry-After`.
   * @default { max: 20, window: 900 }
   */
  rateLimit?: RateLimitWindow;
}
