import { isSafeServerUrl } from '../internal/url-rules.js';
import { AuthConfigError } from '../options/auth-config.error.js';
import type { DpopAlgorithm } from '../options/dpop-options.interface.js';
import { DEFAULT_DPOP_ALGORITHMS, originOnly } from '../options/resolve-dpop-options.js';
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
  /** RFC 9449; undefined: the Bearer scheme only. */
  dpop?: { origin: string; algorithms: DpopAlgorithm[]; proofMaxAge: number; leeway: number };
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
  const dpopOrigin = raw.dpop && typeof raw.dpop.origin === 'string' ? originOnly(raw.dpop.origin) : undefined;
  if (raw.dpop && typeof raw.dpop.origin === 'string' && !dpopOrigin) problems.push(`dpop.origin: must be an origin (${URL_RULE}, no path)`);
  if (problems.length > 0) throw new AuthResourceConfigError(problems);
  const { issuer, introspection, dpop } = raw;
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
    dpop: dpop && {
      origin: dpopOrigin!,
      algorithms: dpop.algorithms ?? [...DEFAULT_DPOP_ALGORITHMS],
      proofMaxAge: dpop.proofMaxAge ?? 60,
      leeway: dpop.leeway ?? 15,
    },
  };
}
