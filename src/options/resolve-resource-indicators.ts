import { isResourceIndicator } from '../server/rfc8707/resource-indicator.js';
import type { AccessTokenFormat, AuthModuleOptions } from './auth-options.interface.js';
import type { ResolvedClientSeed } from './resolved-options.js';

/** A configured resource server (`resources[]`), validated. */
export interface ResolvedResource {
  uri: string;
  scopes: string[];
  /** Undefined: the client's `accessTokenFormat`, else `accessToken.format`. */
  accessTokenFormat?: AccessTokenFormat;
  /** Undefined: `accessToken.ttl`. */
  accessTokenTtl?: number;
}

/**
 * `resources` (RFC 8707) and the clients' `resources` lists (shapes are validated with the rest by
 * `resolveAuthOptions`): each URI an absolute URI without fragment or userinfo, listed once, its scopes among the
 * server's; each client's resources among the configured ones.
 */
export function resolveResourceIndicators(
  raw: AuthModuleOptions,
  scopes: readonly string[],
  clients: readonly ResolvedClientSeed[],
  problems: string[],
): ResolvedResource[] {
  const resources = (raw.resources ?? []).map((resource, index): ResolvedResource => {
    const path = `resources[${index}]`;
    if (!isResourceIndicator(resource.uri)) {
      problems.push(`${path}.uri: must be an absolute URI without fragment or userinfo, printable ASCII without spaces`);
    }
    resource.scopes
      .filter((scope) => !scopes.includes(scope))
      .forEach((scope) => problems.push(`${path}.scopes: '${scope}' is not in scopes`));
    return {
      uri: resource.uri,
      scopes: [...resource.scopes],
      accessTokenFormat: resource.accessTokenFormat,
      accessTokenTtl: resource.accessTokenTtl,
    };
  });
  const seen = new Set<string>();
  resources.forEach((resource, index) => {
    if (seen.has(resource.uri)) problems.push(`resources[${index}].uri: '${resource.uri}' is listed twice`);
    seen.add(resource.uri);
  });
  clients.forEach((client, index) =>
    (client.resources ?? [])
      .filter((uri) => !seen.has(uri))
      .forEach((uri) => problems.push(`clients[${index}].resources: '${uri}' is not in resources`)),
  );
  return resources;
}
