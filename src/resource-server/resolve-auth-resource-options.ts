import { isSafeServerUrl } from '../internal/url-rules.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import { validationProblems } from '../options/validation-problems.js';
import type { AuthResourceModuleOptions, IntrospectionAuthMethod, RemoteJwsAlgorithm } from './auth-resource-options.interface.js';
import { AuthResourceModuleOptionsSchema } from './auth-resource-options.schema.js';

/** The options after validation and defaults (durations still in the units of the options). */
export interface ResolvedAuthResourceOptions {
  issuer: string;
  audience: string;
  algorithms: RemoteJwsAlgorithm[];
  leeway: number;
  realm: string;
  timeoutMs: number;
  /** `${issuer}/.well-known/oauth-authorization-server`. */
  metadataUrl: string;
  jwks: { uri?: string; refetchInterval: number; cacheTtl: number };
  introspection?: {
    endpoint?: string;
    clientId: string;
    clientSecret: string;
    authMethod: IntrospectionAuthMethod;
    cacheTtl: number;
    cacheSize: number;
  };
}

/** `AuthConfigError` whose message names the module it comes from. */
class AuthResourceConfigError extends AuthConfigError {
  constructor(problems: readonly string[]) {
    super(problems);
    this.message = `authnest: invalid AuthResourceModule options:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

const URL_RULE = 'must be an https URL (http only on localhost) without query or fragment';

/**
 * Validates the options of `AuthResourceModule` and applies defaults. Throws an `AuthConfigError` listing every
 * problem by option path: a typo (unknown property) or an unsafe URL stops the boot.
 */
export function resolveAuthResourceOptions(raw: AuthResourceModuleOptions): ResolvedAuthResourceOptions {
  if (typeof raw !== 'object' || raw === null) throw new AuthResourceConfigError(['options: must be an object']);
  const problems = validationProblems(AuthResourceModuleOptionsSchema, raw);
  const urls: [string, unknown][] = [
    ['issuer', raw.issuer],
    ['jwks.uri', raw.jwks?.uri],
    ['introspection.endpoint', raw.introspection?.endpoint],
  ];
  for (const [path, value] of urls) {
    if (typeof value === 'string' && !isSafeServerUrl(value)) problems.push(`${path}: ${URL_RULE}`);
  }
  if (problems.length > 0) throw new AuthResourceConfigError(problems);
  const { issuer, introspection } = raw;
  return {
    issuer,
    audience: raw.audience,
    algorithms: raw.algorithms ?? ['ES256', 'RS256', 'EdDSA'],
    leeway: raw.leeway ?? 5,
    realm: raw.realm ?? issuer,
    timeoutMs: raw.timeoutMs ?? 5000,
    metadataUrl: `${issuer.replace(/\/+$/, '')}/.well-known/oauth-authorization-server`,
    jwks: { uri: raw.jwks?.uri, refetchInterval: raw.jwks?.refetchInterval ?? 60, cacheTtl: raw.jwks?.cacheTtl ?? 600 },
    introspection: introspection && {
      endpoint: introspection.endpoint,
      clientId: introspection.clientId,
      clientSecret: introspection.clientSecret,
      authMethod: introspection.authMethod ?? 'client_secret_basic',
      cacheTtl: introspection.cacheTtl ?? 30,
      cacheSize: introspection.cacheSize ?? 10_000,
    },
  };
}
