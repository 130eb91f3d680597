import type { AuthDatabaseOptions } from '../options/auth-options.interface.js';

/** How the client authenticates at the provider's token endpoint (RFC 6749 section 2.3, RFC 7591 section 2). */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

/** A private JSON Web Key (RFC 7517) of this app, for `private_key_jwt`: RSA, EC or OKP, with `d`. */
export type PrivateJwk = Record<string, unknown> & { kty: string; d: string };

/** Endpoints given by hand; each one set here wins over discovery. All https, or http on a loopback host. */
export interface ProviderEndpoints {
  /**
   * The token endpoint.
   * @default the discovered `token_endpoint`
   */
  token?: string;
  /**
   * The authorization endpoint (browser login).
   * @default the discovered `authorization_endpoint`
   */
  authorization?: string;
  /**
   * The UserInfo endpoint.
   * @default the discovered `userinfo_endpoint`
   */
  userinfo?: string;
  /**
   * The provider's JWK Set (ID token signatures).
   * @default the discovered `jwks_uri`
   */
  jwks?: string;
  /**
   * The revocation endpoint.
   * @default the discovered `revocation_endpoint`
   */
  revocation?: string;
}

/** Browser login through a provider (OpenID Connect authorization code flow with PKCE). */
export interface ProviderLoginOptions {
  /** This app's callback URL, registered at the provider (https, or http on a loopback host). */
  redirectUri: string;
  /**
   * Scopes of the login; `openid` is always added.
   * @default ['openid', 'profile', 'email']
   */
  scopes?: string[];
  /**
   * Where the provider sends the browser after RP-initiated logout (registered there), if it supports logout.
   * @default undefined (logout ends only the local session)
   */
  postLogoutRedirectUri?: string;
}

/** One authorization server this app is a client of. */
export interface OAuthProviderOptions {
  /**
   * The provider's issuer identifier. Its metadata is discovered at `${issuer}/.well-known/openid-configuration`
   * (OpenID Connect Discovery), or else `/.well-known/oauth-authorization-server` (RFC 8414), once, and its
   * `issuer` must equal this value. Give `issuer`, or `endpoints.token`, or both.
   * @default undefined
   */
  issuer?: string;
  /**
   * Endpoints given by hand; each one set here wins over discovery (https, or http on a loopback host).
   * @default {} (everything discovered)
   */
  endpoints?: ProviderEndpoints;
  /** This app's `client_id` at the provider. */
  clientId: string;
  /**
   * This app's client secret (confidential clients); sent only to the provider's token endpoint.
   * @default undefined
   */
  clientSecret?: string;
  /**
   * `private_key_jwt` (RFC 7523 section 2.2, OpenID Connect Core section 9) signs a short-lived client assertion with
   * `privateKey` instead of sending a secret; `client_secret_jwt` signs it HS256 with `clientSecret`.
   * @default 'client_secret_basic' with a secret, 'private_key_jwt' with a private key, 'none' without either
   */
  authMethod?: ClientAuthenticationMethod;
  /**
   * This app's private key for `private_key_jwt` (its public half registered at the provider). Its `alg` (or
   * ES256/RS256/EdDSA by key type) signs, its `kid` is put in the header.
   * @default undefined
   */
  privateKey?: PrivateJwk;
  /**
   * Scopes asked for when a call names none.
   * @default []
   */
  scopes?: string[];
  /**
   * Enables browser login through this provider (`startLogin`, `finishLogin`, `OAuthSessionGuard`).
   * @default undefined (no login)
   */
  login?: ProviderLoginOptions;
}

/** The Redis of `OAuthClientModuleOptions.redis`. */
export interface OAuthClientRedisOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /**
   * Prepended to every key authnest writes (each key is this prefix and a SHA-256 hash), to share a Redis.
   * @default 'authnest:client:'
   */
  keyPrefix?: string;
}

/** Options of `OAuthClientModule.forRoot()` / `forRootAsync()`. Validated at boot. */
export interface OAuthClientModuleOptions {
  /** The providers by name: `@InjectOAuthClient('name')` or `OAuthClients.get('name')`. */
  providers: Record<string, OAuthProviderOptions>;
  /**
   * Milliseconds each request to a provider may take (metadata, tokens, APIs called through `fetch`).
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Seconds before its expiry when a cached access token is replaced by a new one.
   * @default 30
   */
  refreshSkew?: number;
  /**
   * Where login attempts and signed-in users' sessions are kept (only opened when a provider has `login`): the same
   * choices as `AuthModule`'s `database`, authnest's tables and migrations included.
   * @default { type: 'sqlite', path: 'authnest-client.sqlite' }
   */
  database?: AuthDatabaseOptions;
  /**
   * Keeps login attempts and sessions in Redis (>= 6.2) instead of `database`, for several instances of the app
   * behind a load balancer: a login started on one instance finishes on another, and a session's refresh is done
   * once between them. Set `database` or `redis`, not both; with `redis` no database is opened. Connected at boot
   * (only when a provider has `login`) and closed at shutdown.
   * @default undefined (the store is `database`)
   */
  redis?: OAuthClientRedisOptions;
  /**
   * Secret (32+ characters) that seals the provider's refresh tokens in the store and signs this app's login
   * cookies. Required when a provider has `login`.
   * @default undefined
   */
  encryptionSecret?: string;
  /**
   * Seconds a signed-in user's session lasts in this app.
   * @default 86400
   */
  sessionTtl?: number;
  /**
   * Seconds `OAuthUserInfo` keeps a signed-in user's UserInfo in the store before reading it from the provider
   * again (never past the session's end); 0 reads it on every call. Login fills the cache with what it read.
   * @default 300
   */
  userInfoTtl?: number;
  /**
   * Seconds a started login may take until the callback.
   * @default 600
   */
  loginTtl?: number;
  /**
   * Where `OAuthSessionGuard` sends a browser that is not signed in when it asks for a page (`Accept: text/html`):
   * a path of this app, given `returnTo` (the page asked for) as a query parameter. API requests still get 401.
   * @default undefined (always 401)
   */
  loginPath?: string;
}
