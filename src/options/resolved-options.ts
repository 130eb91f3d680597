import type { DataSource } from 'typeorm';
import type { AccessTokenFormat, ClientAuthMethod, MigrationsMode, SigningAlgorithm } from './auth-options.interface.js';
import type { ClientJwks } from './client-auth-options.interface.js';
import type { PkcePolicy, RateLimitWindow } from './flow-options.interface.js';
import type { SubjectType } from './oidc-options.interface.js';
import type { ResolvedDeviceFlowOptions } from './resolve-device-flow-options.js';
import type { ResolvedRegistrationOptions } from './resolve-registration-options.js';
import type { ResolvedResource } from './resolve-resource-indicators.js';
import type { ResolvedPushedAuthorizationOptions } from './resolve-pushed-authorization-options.js';
import type { ResolvedDpopOptions } from './resolve-dpop-options.js';
import type { ResolvedAuditOptions } from './resolve-audit-options.js';
import type { ResolvedRedisOptions } from './resolve-redis-options.js';
import type { ResolvedRequestIdOptions } from './resolve-request-id-options.js';

/** A client seed with every default applied. */
export interface ResolvedClientSeed {
  clientId: string;
  clientSecret?: string;
  name: string;
  authMethods: ClientAuthMethod[];
  grantTypes: string[];
  scopes: string[];
  defaultScopes: string[];
  redirectUris: string[];
  accessTokenFormat?: AccessTokenFormat;
  audience?: string;
  /** RFC 8707: the resources the client may name; undefined: every configured one. */
  resources?: string[];
  firstParty: boolean;
  allowIntrospection: boolean;
  /** OpenID Connect fields: optional so `ClientService.upsert` callers may omit them (defaults: none, public). */
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
  subjectType?: SubjectType;
  sectorIdentifier?: string;
  /** Keys for private_key_jwt (RFC 7523): optional so `ClientService.upsert` callers may omit them. */
  jwks?: ClientJwks;
  jwksUri?: string;
  tokenEndpointAuthSigningAlg?: string;
  /** RFC 9126 section 6: optional so `ClientService.upsert` callers may omit it (default false). */
  requirePushedAuthorizationRequests?: boolean;
  /** RFC 9449 section 5.2: optional so `ClientService.upsert` callers may omit it (default false). */
  dpopBoundAccessTokens?: boolean;
}

/** A trusted issuer of the JWT bearer grant, resolved. */
export interface ResolvedJwtBearerIssuer {
  issuer: string;
  jwks: ClientJwks | null;
  jwksUri: string | null;
  /** Undefined: every client with the grant. */
  clients?: string[];
}

/** Client assertion checks with defaults applied. */
export interface ResolvedClientAssertions {
  maxLifetime: number;
  jwksCacheTtl: number;
  jwksTimeoutMs: number;
  allowPrivateJwksUri: boolean;
}

/** OpenID Provider options with defaults applied. */
export interface ResolvedOpenIdOptions {
  idTokenTtl: number;
  requireNonce: boolean;
  scopeClaimsInIdToken: boolean;
  /** The standard scope-to-claims mapping with `oidc.scopeClaims` merged over it. */
  scopeClaims: Readonly<Record<string, readonly string[]>>;
  pairwiseSalt?: string;
  backchannelLogoutTimeoutMs: number;
}

export type ResolvedDatabase =
  | { kind: 'sqlite'; path: string; migrations: MigrationsMode }
  | { kind: 'postgres'; url: string; schema?: string; poolSize: number; migrations: MigrationsMode }
  | { kind: 'existing'; dataSource: DataSource; migrations: MigrationsMode };

/** Browser-flow options with defaults applied. */
export interface ResolvedFlowOptions {
  authorization: { codeTtl: number; pkce: PkcePolicy; allowPlainPkce: boolean };
  refreshToken: { ttl: number; absoluteTtl: number; reuseGrace: number };
  interaction: { mode: 'builtin' | 'custom'; loginUrl?: string; ttl: number; sessionTtl: number };
  loginRateLimit: { perAccount: RateLimitWindow; perAddress: RateLimitWindow };
}

/** The options after validation and defaults: what every service injects (`AUTH_OPTIONS`). */
export interface ResolvedAuthOptions extends ResolvedFlowOptions {
  issuer: string;
  database: ResolvedDatabase;
  accessToken: { format: AccessTokenFormat; ttl: number; audience: string };
  /** RFC 8707 resource servers. */
  resources: ResolvedResource[];
  signing: { algorithm: SigningAlgorithm; encryptionSecret?: string; secretFile: string; reloadInterval: number; propagationDelay: number };
  scopes: string[];
  clients: ResolvedClientSeed[];
  resource: { leeway: number; jwtCacheTtl: number; opaqueCacheTtl: number; realm: string };
  clientSecretCacheTtl: number;
  clientCacheTtl: number;
  fastPath: boolean;
  purgeInterval: number;
  oidc: ResolvedOpenIdOptions;
  deviceFlow: ResolvedDeviceFlowOptions;
  clientAssertions: ResolvedClientAssertions;
  registration: ResolvedRegistrationOptions;
  par: ResolvedPushedAuthorizationOptions;
  dpop: ResolvedDpopOptions;
  audit: ResolvedAuditOptions;
  jwtBearer: { issuers: ResolvedJwtBearerIssuer[] };
  /** Undefined without the `redis` option. */
  redis?: ResolvedRedisOptions;
  requestIds: ResolvedRequestIdOptions;
  production: boolean;
}
