import type { ClientJwks } from './client-auth-options.interface.js';
import type { SubjectType } from './oidc-options.interface.js';
import type { AccessTokenFormat, ClientAuthMethod } from './auth-options.interface.js';

/** A client created or updated at boot (demo and fixed first-party clients). */
export interface ClientSeed {
  /** The `client_id`: printable ASCII, no spaces. */
  clientId: string;
  /**
   * The secret of a confidential client; stored only as a scrypt hash (and, for `client_secret_jwt`, which needs
   * the secret itself as HMAC key, also sealed with AES-256-GCM under `signing.encryptionSecret`). Omit for public
   * clients.
   * @default undefined
   */
  clientSecret?: string;
  /**
   * Display name.
   * @default the clientId
   */
  name?: string;
  /**
   * Authentication methods this client may use at the token endpoint (and the other back-channel endpoints); enforced.
   * @default ['client_secret_basic'] (['private_key_jwt'] with `jwks` or `jwksUri`, ['none'] without a secret)
   */
  authMethods?: ClientAuthMethod[];
  /**
   * The client's public keys for `private_key_jwt` (give `jwks` or `jwksUri`, not both).
   * @default undefined
   */
  jwks?: ClientJwks;
  /**
   * Where the client publishes its public keys for `private_key_jwt`: https, fetched with bounds (see
   * `clientAssertions`).
   * @default undefined
   */
  jwksUri?: string;
  /**
   * The only JWS algorithm accepted for this client's assertions (`token_endpoint_auth_signing_alg`).
   * @default any asymmetric algorithm for private_key_jwt, HS256/HS384/HS512 for client_secret_jwt
   */
  tokenEndpointAuthSigningAlg?: string;
  /**
   * Grant types this client may use; each must be a grant of the server.
   * @default ['client_credentials']
   */
  grantTypes?: string[];
  /**
   * Scopes this client may be granted; each must be listed in the server's `scopes`.
   * @default []
   */
  scopes?: string[];
  /**
   * Scopes granted when a request names none.
   * @default []
   */
  defaultScopes?: string[];
  /**
   * Registered redirect URIs, matched exactly (https, or http on a loopback host).
   * @default []
   */
  redirectUris?: string[];
  /**
   * Overrides `accessToken.format` for this client.
   * @default undefined
   */
  accessTokenFormat?: AccessTokenFormat;
  /**
   * Overrides `accessToken.audience` for this client.
   * @default undefined
   */
  audience?: string;
  /**
   * The configured `resources` (their URIs) this client may name with the `resource` parameter (RFC 8707); `[]`:
   * none.
   * @default every configured resource
   */
  resources?: string[];
  /**
   * A first-party client the server's owner trusts: users are not asked for consent (unless `prompt=consent`).
   * @default false
   */
  firstParty?: boolean;
  /**
   * May call the introspection endpoint (RFC 7662), e.g. a resource server's own client.
   * @default false
   */
  allowIntrospection?: boolean;
  /**
   * Where the end-session endpoint may send the browser after logout (exact match, like `redirectUris`).
   * @default []
   */
  postLogoutRedirectUris?: string[];
  /**
   * The client's back-channel logout endpoint: a logout token (with `sub` and `sid`) is POSTed there when a session
   * it took part in ends. https, or http on a loopback host.
   * @default undefined
   */
  backchannelLogoutUri?: string;
  /**
   * `public`: `sub` is the account id; `pairwise`: a different, stable `sub` per sector (OpenID Connect Core
   * section 8.1) in ID tokens, UserInfo and logout tokens.
   * @default 'public'
   */
  subjectType?: SubjectType;
  /**
   * The sector (a host name) of a pairwise client. Required when its redirect URIs are on several hosts.
   * @default the host of the client's redirect URIs
   */
  sectorIdentifier?: string;
  /**
   * This client must push its authorization requests (RFC 9126 section 6: `require_pushed_authorization_requests`):
   * its plain requests to the authorization endpoint are refused.
   * @default false (or `par.required` for every client)
   */
  requirePushedAuthorizationRequests?: boolean;
  /**
   * This client's token requests must carry a DPoP proof (RFC 9449 section 5.2: `dpop_bound_access_tokens`), so all
   * its access tokens are DPoP-bound. Needs `dpop`.
   * @default false (or `dpop.required` for every client)
   */
  dpopBoundAccessTokens?: boolean;
}
