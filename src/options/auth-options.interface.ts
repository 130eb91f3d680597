import type { DataSource } from 'typeorm';
import type { AuthorizationOptions, InteractionOptions, LoginRateLimitOptions, RefreshTokenOptions } from './flow-options.interface.js';
import type { ClientAssertionOptions } from './client-auth-options.interface.js';
import type { JwtBearerOptions } from './jwt-bearer-options.interface.js';
import type { OpenIdOptions } from './oidc-options.interface.js';
import type { ClientSeed } from './client-seed.interface.js';
import type { DeviceFlowOptions } from './device-flow-options.interface.js';
import type { RegistrationOptions } from './registration-options.interface.js';
import type { PushedAuthorizationOptions } from './pushed-authorization-options.interface.js';
import type { ResourceServerOptions } from './resource-indicators-options.interface.js';
import type { DpopOptions } from './dpop-options.interface.js';
import type { AuditOptions } from './audit-options.interface.js';
import type { AuthRedisOptions } from './redis-options.interface.js';
import type { RequestIdOptions } from './request-id-options.interface.js';

export type { ClientSeed } from './client-seed.interface.js';
export type { AuthRedisOptions } from './redis-options.interface.js';
export type { RequestIdOptions } from './request-id-options.interface.js';

/** How an access token is represented on the wire. */
export type AccessTokenFormat = 'jwt' | 'opaque';

/** JWS algorithms authnest signs with. */
export type SigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

/**
 * Client authentication methods at the token endpoint (RFC 7591 section 2; `private_key_jwt` and
 * `client_secret_jwt`: RFC 7523 section 2.2, OpenID Connect Core section 9).
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

/** Whether pending migrations run at boot or only are checked (boot fails when one is pending). */
export type MigrationsMode = 'run' | 'check';

/** The embedded default: a SQLite file through better-sqlite3. */
export interface SqliteDatabaseOptions {
  type: 'sqlite';
  /**
   * Path of the SQLite file (created when missing). `:memory:` keeps everything in memory.
   * @default 'authnest.sqlite'
   */
  path?: string;
  /**
   * `run` applies pending migrations at boot; `check` refuses to boot while one is pending (run `authnest migrate`).
   * @default 'run'
   */
  migrations?: MigrationsMode;
}

/** PostgreSQL, for several instances behind a load balancer. */
export interface PostgresDatabaseOptions {
  type: 'postgres';
  /** Connection URL, e.g. `postgres://user:pass@host:5432/db` (usually `process.env.DATABASE_URL`). */
  url: string;
  /**
   * Schema holding authnest's tables.
   * @default 'public'
   */
  schema?: string;
  /**
   * Connection pool size.
   * @default 10
   */
  poolSize?: number;
  /**
   * `run` applies pending migrations at boot, under an advisory lock so instances booting together migrate in turn;
   * `check` refuses to boot while one is pending (run `authnest migrate` before the deploy).
   * @default 'run'
   */
  migrations?: MigrationsMode;
}

/**
 * An initialized TypeORM DataSource owned by the host app. It must list `authnestEntities` in its
 * entities and `authnestMigrations` in its migrations; authnest does not destroy it at shutdown.
 */
export interface ExistingDataSourceOptions {
  /** The host's initialized DataSource, listing `authnestEntities` and `authnestMigrations` (SQLite: with `prepareDatabase: prepareSqliteConnection`). */
  dataSource: DataSource;
  /**
   * `check` by default: the host runs its DataSource's migrations (authnest's among them); `run` lets authnest
   * run every pending migration of the DataSource at boot, the host's included.
   * @default 'check'
   */
  migrations?: MigrationsMode;
}

export type AuthDatabaseOptions = SqliteDatabaseOptions | PostgresDatabaseOptions | ExistingDataSourceOptions;

/** Access-token issuance. */
export interface AccessTokenOptions {
  /**
   * `jwt`: RFC 9068 JWTs verified locally by resource servers; `opaque`: the token's 22-character id, then 256
   * random bits, stored as a SHA-256 hash and checked against the database. Clients may override it.
   * @default 'jwt'
   */
  format?: AccessTokenFormat;
  /**
   * Lifetime in seconds (30 to 86400).
   * @default 3600
   */
  ttl?: number;
  /**
   * The `aud` claim of JWT access tokens and the audience the bearer guard requires. Clients may override it.
   * @default the issuer
   */
  audience?: string;
}

/** Signing keys. */
export interface SigningOptions {
  /**
   * Algorithm of the signing key created on first boot.
   * @default 'ES256'
   */
  algorithm?: SigningAlgorithm;
  /**
   * Secret (32 characters or more) that encrypts private keys at rest (AES-256-GCM). Required when
   * `NODE_ENV=production`. Without it, outside production, authnest generates one into `secretFile`
   * and logs a loud warning.
   * @default undefined
   */
  encryptionSecret?: string;
  /**
   * Where the generated development secret is kept when `encryptionSecret` is not set.
   * @default '.authnest/secret.key' (beside the SQLite file when one is used)
   */
  secretFile?: string;
  /**
   * Seconds between re-reads of the signing keys by each instance (on use: the first signature, JWKS answer or
   * verification after the interval reads them first), so keys rotated or revoked elsewhere are seen. 1 to 3600.
   * @default 60
   */
  reloadInterval?: number;
  /**
   * Seconds between publishing a rotated key (`SigningKeys.rotate()`, `authnest keys rotate`) and signing with it, so
   * every instance and resource server has it first. Must exceed `reloadInterval` plus the JWKS `max-age` (300).
   * @default 900
   */
  propagationDelay?: number;
}

/** Resource-side verification (the bearer guard). */
export interface ResourceOptions {
  /**
   * Clock skew in seconds tolerated on `exp`, `iat` and `nbf` (at most 60). A JWT whose `iat` or `nbf` is further in
   * the future is refused: keep instances' clocks within this.
   * @default 5
   */
  leeway?: number;
  /**
   * Seconds a verified JWT access token is remembered (never past its `exp`); 0 disables the cache. Also the longest a
   * JWT revoked by another instance is still accepted here.
   * @default 300
   */
  jwtCacheTtl?: number;
  /**
   * Seconds a verified opaque token is remembered (never past its `exp`). A revocation becomes visible on
   * other instances after at most this long; 0 checks the database on every request.
   * @default 0
   */
  opaqueCacheTtl?: number;
  /**
   * `realm` of the `WWW-Authenticate: Bearer` challenge.
   * @default the issuer
   */
  realm?: string;
}


/** Options of `AuthModule.forRoot()` / `forRootAsync()`. Validated at boot. */
export interface AuthModuleOptions {
  /**
   * The issuer identifier: https (http only on localhost), no query or fragment. Endpoint URLs are built from it.
   */
  issuer: string;
  /**
   * Where clients, tokens and keys are kept: a SQLite file (`{ type: 'sqlite', path }`), PostgreSQL
   * (`{ type: 'postgres', url, schema?, poolSize? }`) or a TypeORM DataSource of the host app (`{ dataSource }`).
   * @default { type: 'sqlite', path: 'authnest.sqlite' }
   */
  database?: AuthDatabaseOptions;
  /**
   * Access tokens: format, lifetime, audience.
   * @default { format: 'jwt', ttl: 3600, audience: issuer }
   */
  accessToken?: AccessTokenOptions;
  /**
   * Resource servers clients may ask tokens for with the `resource` parameter (RFC 8707); their tokens carry the
   * resource's URI as `aud`, only its scopes, and its format and lifetime. Without `resource`, nothing changes.
   * @default []
   */
  resources?: ResourceServerOptions[];
  /**
   * Signing keys: algorithm, the secret that encrypts them at rest, rotation timing ([Signing keys and rotation](#signing-keys-and-rotation)).
   * @default { algorithm: 'ES256', reloadInterval: 60, propagationDelay: 900 }
   */
  signing?: SigningOptions;
  /**
   * Every scope the server knows; requests for others get `invalid_scope`.
   * @default []
   */
  scopes?: string[];
  /**
   * Clients created (or updated) at boot.
   * @default []
   */
  clients?: ClientSeed[];
  /**
   * How the app's own guards verify tokens (`@RequireScope`, `BearerAuthGuard`).
   * @default { leeway: 5, jwtCacheTtl: 300, opaqueCacheTtl: 0, realm: issuer }
   */
  resource?: ResourceOptions;
  /**
   * Seconds a successfully verified client secret is remembered, so the token endpoint does not run
   * scrypt on every request. Keyed by the stored hash: a rotated secret is never accepted. 0 disables.
   * @default 300
   */
  clientSecretCacheTtl?: number;
  /**
   * Seconds a client's row, once read to authenticate it (token, introspection, revocation, pushed authorization
   * and device authorization endpoints), is reused without reading the database again. Changes made through this
   * instance (`ClientService`, seeding, dynamic registration) apply at once; changes made by another instance or
   * directly in the database (disabling a client, rotating its keys) apply after at most this long. Unknown clients
   * are never remembered. 0 reads the client on every request.
   * @default 0
   */
  clientCacheTtl?: number;
  /**
   * Answers back-channel requests to the token, introspection and revocation endpoints (a `POST` of a plain UTF-8 form
   * without an `Origin` header: services, resource servers, CLIs) in the HTTP server's own request listener, before
   * Express or Fastify see them: the same services and answers, without the platform's routing and body parsing and
   * without anything the app added to its pipeline (middleware, global guards, interceptors, pipes, filters) for
   * those requests. Browser requests (with `Origin`, which need the app's CORS) and everything else go through the
   * app. Worth it where those endpoints carry most of the traffic; on Express it more than doubles their throughput.
   * @default false
   */
  fastPath?: boolean;
  /**
   * Seconds between purges of expired tokens, codes, interactions, sessions and login rate-limit windows; 0
   * disables the timer (call `TokenPurgeService.purgeExpired()`).
   * @default 3600
   */
  purgeInterval?: number;
  /**
   * The authorization endpoint: code lifetime and PKCE policy.
   * @default { codeTtl: 60, pkce: 'all-clients', allowPlainPkce: false }
   */
  authorization?: AuthorizationOptions;
  /**
   * Refresh tokens: lifetimes and the reuse grace window (they rotate on every use).
   * @default { ttl: 1209600, absoluteTtl: 7776000, reuseGrace: 10 }
   */
  refreshToken?: RefreshTokenOptions;
  /**
   * The login and consent pages: builtin or the host's own, and how long interactions and sessions last.
   * @default { mode: 'builtin', ttl: 600, sessionTtl: 86400 }
   */
  interaction?: InteractionOptions;
  /**
   * Login attempts allowed per username and per client address (in the database, or in Redis with `redis`).
   * @default { perAccount: { max: 10, window: 900 }, perAddress: { max: 50, window: 900 } }
   */
  loginRateLimit?: LoginRateLimitOptions;
  /**
   * OpenID Connect: ID tokens, nonces, claims by scope, pairwise subjects, back-channel logout.
   * @default { idTokenTtl: 3600, requireNonce: false, scopeClaimsInIdToken: false, scopeClaims: {}, backchannelLogoutTimeoutMs: 5000 }
   */
  oidc?: OpenIdOptions;
  /**
   * The device authorization grant (RFC 8628): code lifetime, polling interval, user codes and their rate limits.
   * @default { codeTtl: 600, interval: 5, userCodeLength: 8, verificationUri: `<issuer>/oauth/device`, userCodeRateLimit: { perAddress: { max: 30, window: 900 }, perBrowser: { max: 10, window: 900 } } } */
  deviceFlow?: DeviceFlowOptions;
  /**
   * JWT client authentication (`private_key_jwt`, `client_secret_jwt`) and the JWT bearer grant's assertions:
   * lifetime bound and how clients' `jwksUri` documents are fetched.
   * @default { maxLifetime: 300, jwksCacheTtl: 300, jwksTimeoutMs: 2500, allowPrivateJwksUri: false }
   */
  clientAssertions?: ClientAssertionOptions;
  /**
   * The JWT bearer grant (RFC 7523 section 2.1): the issuers whose assertions are trusted.
   * @default { issuers: [] }
   */
  jwtBearer?: JwtBearerOptions;
  /**
   * Dynamic client registration (RFC 7591, RFC 7592): off, open, or with initial access tokens.
   * @default { mode: 'disabled' } (see `RegistrationOptions` for every default)
   */
  registration?: RegistrationOptions;
  /**
   * Pushed authorization requests (RFC 9126).
   * @default { ttl: 60, required: false }
   */
  par?: PushedAuthorizationOptions;
  /**
   * DPoP (RFC 9449): off until set; `{}` turns it on with every default.
   * @default undefined (off); when set: { required: false, requireNonce: false, nonceLifetime: 300, proofMaxAge: 60, leeway: 15, algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'], resourceOrigin: the issuer's origin }
   */
  dpop?: DpopOptions;
  /**
   * The audit table: authnest's events (tokens issued and revoked, failed client authentications, logins, consents,
   * registrations, key rotations) written to `authnest_audit_events`, read with `AuditTrail.list()`.
   * @default { store: false, retention: 7776000 (90 days), events: every event }
   */
  audit?: AuditOptions;
  /**
   * A Redis shared by several instances (on one PostgreSQL): replay checks (DPoP proofs, client assertions, OpenID
   * Connect nonces) and rate limits go there first, with the database as the fallback and the record, and access-token
   * revocations reach every instance's verified-token cache at once (see `AuthRedisOptions`). Connected at boot (an
   * unreachable Redis does not stop the boot: the database is used until it answers) and closed at shutdown.
   * @default undefined (everything in the database); when set: { keyPrefix: 'authnest:', connectTimeout: 2000, commandTimeout: 200 }
   */
  redis?: AuthRedisOptions;
  /**
   * Request ids: each request gets one (the caller's `X-Request-Id` when safe to echo, else a fresh random one),
   * echoed in the response, readable with `currentRequestId()`, carried by events and prefixed to authnest's logs.
   * @default { enabled: false, header: 'x-request-id', trustIncoming: true }
   */
  requestIds?: RequestIdOptions;
}
