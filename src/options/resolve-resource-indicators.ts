import { isResourceIndicator } from '../server/rfc8707/resource-indicator.js';
import type { AccessTokenFormat, AuthModuleOptions } from './auth-options.interface.js';
import type { ResolvedClientSeed } from './resolved-options.js';

/** Scopes no resource may list: they are about the authorization server itself (OpenID Connect Core 3.1.2.1, 11). */
const SERVER_SCOPES: readonly string[] = ['openid', 'offline_access'];

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
 * server's and neither `openid` nor `offline_access`; each client's resources among the configured ones.
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
    // OpenID Connect scopes are the authorization server's own: a resource's token carrying `openid` would be
    // accepted by UserInfo, and `offline_access` would not mean a refresh token there.
    resource.scopes
      .filter((scope) => SERVER_SCOPES.includes(scope))
      .forEach((scope) => problems.push(`${path}.scopes: '${scope}' belongs to the authorization server, not to a resource`));
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
