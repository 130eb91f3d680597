import { isAcceptableRedirectUri, isSafeServerUrl } from '../internal/url-rules.js';
import type { AuthModuleOptions } from '../options/auth-options.interface.js';
import { resolveDatabase } from '../options/resolve-options.js';
import type { ResolvedDatabase } from '../options/resolved-options.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import { validationProblems } from '../options/validation-problems.js';
import type { ClientAuthenticationMethod, OAuthClientModuleOptions, OAuthProviderOptions, PrivateJwk, ProviderEndpoints } from './oauth-client-options.interface.js';
import { OAuthClientModuleOptionsSchema, OAuthProviderOptionsSchema } from './oauth-client-options.schema.js';
import { DEFAULT_REDIS_KEY_PREFIX } from './oauth-client-store.js';

/** A provider with every default applied. */
export interface ResolvedProvider {
  name: string;
  login?: { redirectUri: string; scopes: string[]; postLogoutRedirectUri?: string };
  issuer?: string;
  endpoints: ProviderEndpoints;
  clientId: string;
  clientSecret?: string;
  privateKey?: PrivateJwk;
  authMethod: ClientAuthenticationMethod;
  scopes: string[];
}

/** The client module's options after validation and defaults. */
export interface ResolvedOAuthClientOptions {
  providers: ResolvedProvider[];
  timeoutMs: number;
  refreshSkew: number;
  /** The store's database; undefined when no provider has `login`, or with `redis`. */
  database?: ResolvedDatabase;
  /** The store's Redis (instead of `database`); undefined when no provider has `login`. */
  redis?: { url: string; keyPrefix: string };
  encryptionSecret?: string;
  sessionTtl: number;
  loginTtl: number;
  userInfoTtl: number;
  loginPath?: string;
}

const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function isPrivateJwk(value: unknown): value is PrivateJwk {
  const jwk = value as Partial<PrivateJwk> | undefined;
  return typeof jwk === 'object' && jwk !== null && ['RSA', 'EC', 'OKP'].includes(String(jwk.kty)) && typeof jwk.d === 'string';
}

function resolveProvider(name: string, raw: OAuthProviderOptions, problems: string[]): ResolvedProvider | undefined {
  const path = `providers.${name}`;
  if (!PROVIDER_NAME.test(name)) problems.push(`${path}: a provider name is 1 to 64 letters, digits, '-' or '_'`);
  const shape = validationProblems(OAuthProviderOptionsSchema, raw, path);
  if (shape.length > 0) {
    problems.push(...shape);
    return undefined;
  }
  const endpoints = { ...raw.endpoints };
  if (raw.issuer !== undefined && !isSafeServerUrl(raw.issuer)) problems.push(`${path}.issuer: must be an https URL (http only on a loopback host) without query or fragment`);
  for (const [member, url] of Object.entries(endpoints)) {
    if (url !== undefined && !isSafeServerUrl(url)) problems.push(`${path}.endpoints.${member}: must be an https URL (http only on a loopback host) without query or fragment`);
  }
  if (raw.issuer === undefined && endpoints.token === undefined) problems.push(`${path}: give issuer (for discovery) or endpoints.token`);
  const authMethod = (raw.authMethod as ClientAuthenticationMethod | undefined) ?? (raw.clientSecret ? 'client_secret_basic' : raw.privateKey ? 'private_key_jwt' : 'none');
  if ((authMethod === 'client_secret_basic' || authMethod === 'client_secret_post' || authMethod === 'client_secret_jwt') && !raw.clientSecret) problems.push(`${path}.clientSecret: required for ${authMethod}`);
  if (authMethod === 'none' && (raw.clientSecret || raw.privateKey)) problems.push(`${path}.authMethod: a client with a secret or key must not use 'none'`);
  if (authMethod === 'private_key_jwt' && !isPrivateJwk(raw.privateKey)) problems.push(`${path}.privateKey: a private JWK (kty RSA, EC or OKP, with d) is required for private_key_jwt`);
  const issuer = raw.issuer?.replace(/\/+$/, '');
  const resolved: ResolvedProvider = { name, issuer, endpoints, clientId: raw.clientId, clientSecret: raw.clientSecret, authMethod, scopes: raw.scopes ?? [] };
  if (authMethod === 'private_key_jwt' && isPrivateJwk(raw.privateKey)) resolved.privateKey = raw.privateKey;
  if (raw.login) {
    const { redirectUri, postLogoutRedirectUri } = raw.login;
    for (const [member, uri] of [['redirectUri', redirectUri], ['postLogoutRedirectUri', postLogoutRedirectUri]] as const) {
      if (uri !== undefined && !isAcceptableRedirectUri(uri)) problems.push(`${path}.login.${member}: must be absolute, without fragment, https or http on a loopback host`);
    }
    if (!issuer) problems.push(`${path}.issuer: login needs the issuer (ID tokens are checked against it)`);
    resolved.login = { redirectUri, scopes: ['openid', ...(raw.login.scopes ?? ['profile', 'email']).filter((s) => s !== 'openid')], postLogoutRedirectUri };
  }
  return resolved;
}

function resolveRedis(raw: OAuthClientModuleOptions, problems: string[]): ResolvedOAuthClientOptions['redis'] {
  const redis = raw?.redis;
  if (redis === undefined || typeof redis?.url !== 'string') return undefined; // shape problems come from the schema
  let scheme: string | undefined;
  try {
    scheme = new URL(redis.url).protocol;
  } catch {
    scheme = undefined;
  }
  if (scheme !== 'redis:' && scheme !== 'rediss:') problems.push('redis.url: must be a redis:// or rediss:// URL');
  return { url: redis.url, keyPrefix: redis.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX };
}

/** Validates the options and applies defaults; throws `AuthConfigError` naming every problem by option path. */
export function resolveOAuthClientOptions(raw: OAuthClientModuleOptions): ResolvedOAuthClientOptions {
  const problems = validationProblems(OAuthClientModuleOptionsSchema, { ...raw, providers: raw?.providers === undefined ? undefined : {}, database: undefined }, '');
  const providers: ResolvedProvider[] = [];
  if (typeof raw?.providers === 'object' && raw.providers !== null && !Array.isArray(raw.providers)) {
    for (const [name, provider] of Object.entries(raw.providers)) {
      const resolved = resolveProvider(name, provider, problems);
      if (resolved) providers.push(resolved);
    }
    if (Object.keys(raw.providers).length === 0) problems.push('providers: name at least one provider');
  }
  const login = providers.some((provider) => provider.login);
  if (login && !raw.encryptionSecret) problems.push('encryptionSecret: required when a provider has login (it seals refresh tokens and signs cookies)');
  const redis = resolveRedis(raw, problems);
  if (redis && raw.database !== undefined) problems.push('redis: give database or redis, not both (with redis no database is opened)');
  const database = login && !redis ? resolveDatabase({ database: raw.database ?? { type: 'sqlite', path: 'authnest-client.sqlite' } } as AuthModuleOptions, problems) : undefined;
  if (problems.length > 0) throw new AuthConfigError(problems, 'OAuthClientModule');
  return {
    providers,
    timeoutMs: raw.timeoutMs ?? 5000,
    refreshSkew: raw.refreshSkew ?? 30,
    database,
    redis: login ? redis : undefined,
    encryptionSecret: raw.encryptionSecret,
    sessionTtl: raw.sessionTtl ?? 86_400,
    loginTtl: raw.loginTtl ?? 600,
    userInfoTtl: raw.userInfoTtl ?? 300,
    loginPath: raw.loginPath,
  };
}
