import { isSafeServerUrl } from '../internal/url-rules.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import { validationProblems } from '../options/validation-problems.js';
import type { ClientAuthenticationMethod, OAuthClientModuleOptions, OAuthProviderOptions, ProviderEndpoints } from './oauth-client-options.interface.js';
import { OAuthClientModuleOptionsSchema, OAuthProviderOptionsSchema } from './oauth-client-options.schema.js';

/** A provider with every default applied. */
export interface ResolvedProvider {
  name: string;
  issuer?: string;
  endpoints: ProviderEndpoints;
  clientId: string;
  clientSecret?: string;
  authMethod: ClientAuthenticationMethod;
  scopes: string[];
}

/** The client module's options after validation and defaults. */
export interface ResolvedOAuthClientOptions {
  providers: ResolvedProvider[];
  timeoutMs: number;
  refreshSkew: number;
}

const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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
  const authMethod = (raw.authMethod as ClientAuthenticationMethod | undefined) ?? (raw.clientSecret ? 'client_secret_basic' : 'none');
  if (authMethod !== 'none' && !raw.clientSecret) problems.push(`${path}.clientSecret: required for ${authMethod}`);
  if (authMethod === 'none' && raw.clientSecret) problems.push(`${path}.authMethod: a client with a secret must not use 'none'`);
  const issuer = raw.issuer?.replace(/\/+$/, '');
  return { name, issuer, endpoints, clientId: raw.clientId, clientSecret: raw.clientSecret, authMethod, scopes: raw.scopes ?? [] };
}

/** Validates the options and applies defaults; throws `AuthConfigError` naming every problem by option path. */
export function resolveOAuthClientOptions(raw: OAuthClientModuleOptions): ResolvedOAuthClientOptions {
  const problems = validationProblems(OAuthClientModuleOptionsSchema, { ...raw, providers: raw?.providers === undefined ? undefined : {} }, '');
  const providers: ResolvedProvider[] = [];
  if (typeof raw?.providers === 'object' && raw.providers !== null && !Array.isArray(raw.providers)) {
    for (const [name, provider] of Object.entries(raw.providers)) {
      const resolved = resolveProvider(name, provider, problems);
      if (resolved) providers.push(resolved);
    }
    if (Object.keys(raw.providers).length === 0) problems.push('providers: name at least one provider');
  }
  if (problems.length > 0) throw new AuthConfigError(problems, 'OAuthClientModule');
  return { providers, timeoutMs: raw.timeoutMs ?? 5000, refreshSkew: raw.refreshSkew ?? 30 };
}
