import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidScopeError, InvalidTargetError } from '../../errors/oauth-errors.js';
import type { AccessTokenFormat } from '../../options/auth-options.interface.js';
import type { ResolvedResource } from '../../options/resolve-resource-indicators.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { repeatedValues, type FormParameters } from '../rfc6749/token-request.js';
import { isResourceIndicator, MAX_RESOURCES_PER_REQUEST } from './resource-indicator.js';

/** Who an access token is for and what it carries: spread it into `TokenService.issueAccessToken`. */
export interface AccessTokenTarget {
  /** `aud`: the resource's URI, or the default audience (the client's `audience`, else `accessToken.audience`). */
  audience: string;
  /** The token's scopes: for a resource, only its own (RFC 8707 section 2.2). */
  scopes: string[];
  format: AccessTokenFormat;
  /** Lifetime in seconds. */
  ttl: number;
}

/** How `accessTokenTarget` treats the request. */
export interface AccessTokenTargetOptions {
  /**
   * The resources of the grant the token comes from (the authorization code's, the refresh token's): the `resource`
   * named must be one of them; none named means the grant's only resource, or the default audience. Undefined for
   * grants without an earlier authorization request (client credentials, token exchange): any resource the client
   * may use; none named means the default audience with `scopes` unchanged.
   */
  grantResources?: readonly string[];
  /**
   * Whether the request named `scopes` itself (a `scope` parameter): then a scope the resource does not have is
   * `invalid_scope`; otherwise (defaults, the grant's scopes) it is dropped.
   */
  explicitScopes?: boolean;
}

/** The `resource` values of a request (RFC 8707 section 2), in order, without repeats. */
export function requestedResources(params: FormParameters): string[] {
  return [...new Set(repeatedValues(params, 'resource'))];
}

/**
 * Resource indicators (RFC 8707): which configured resources (`resources`) a client may name, which scopes an
 * authorization request may then ask for, and who an access token is for. Rules:
 *
 * - a `resource` must be an absolute URI without fragment, configured (exact match) and allowed for the client
 *   (its `resources`, default all), else `invalid_target`; at most 10 per request;
 * - a scope listed by no resource is a scope of the default audience;
 * - a token for a resource has `aud` = its URI, only its scopes, its format (else the client's, else
 *   `accessToken.format`) and TTL (else `accessToken.ttl`);
 * - a token request names at most one resource (RFC 8707 section 2.2 allows refusing several: `invalid_target`).
 */
@Injectable()
export class ResourceIndicators {
  private readonly byUri: ReadonlyMap<string, ResolvedResource>;
  private readonly resourceScopes: ReadonlySet<string>;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {
    this.byUri = new Map(options.resources.map((resource) => [resource.uri, resource]));
    this.resourceScopes = new Set(options.resources.flatMap((resource) => resource.scopes));
  }

  /** The configured resources the values name, each allowed for the client; else `invalid_target`. */
  resolve(client: ClientEntity, values: readonly string[]): ResolvedResource[] {
    const distinct = [...new Set(values)];
    if (distinct.length > MAX_RESOURCES_PER_REQUEST) throw new InvalidTargetError('Too many resource values');
    return distinct.map((value) => this.resolveOne(client, value));
  }

  private resolveOne(client: ClientEntity, value: string): ResolvedResource {
    if (!isResourceIndicator(value)) throw new InvalidTargetError('A resource must be an absolute URI without fragment');
    const resource = this.byUri.get(value);
    if (!resource) throw new InvalidTargetError('The resource is unknown');
    if (client.resources !== null && !client.resources.includes(value)) throw new InvalidTargetError('The client may not request this resource');
    return resource;
  }

  /**
   * The scopes of an authorization request naming `resources` (none: `scopes` unchanged). Each scope must belong to
   * one of them or to no resource at all: an explicitly requested other one is `invalid_scope`, a default one is
   * dropped.
   */
  authorizationScopes(resources: readonly ResolvedResource[], scopes: readonly string[], explicit: boolean): string[] {
    if (resources.length === 0) return [...scopes];
    const fits = (scope: string) => !this.resourceScopes.has(scope) || resources.some((resource) => resource.scopes.includes(scope));
    if (explicit && !scopes.every(fits)) throw new InvalidScopeError('A requested scope belongs to none of the requested resources');
    return scopes.filter(fits);
  }

  /**
   * Who a new access token is for (RFC 8707 section 2.2): the `resource` named (`requested`, at most one distinct
   * value), the grant's only resource when none is named, or the default audience. For a resource: `aud` its URI and
   * `scopes` narrowed to its own. For the default audience: `scopes` unchanged, except that a grant naming several
   * resources keeps only the scopes that belong to no resource. Throws `InvalidTargetError` (or `InvalidScopeError`
   * for an explicit scope the resource does not have).
   */
  accessTokenTarget(client: ClientEntity, requested: readonly string[], scopes: readonly string[], options: AccessTokenTargetOptions = {}): AccessTokenTarget {
    const distinct = [...new Set(requested)];
    if (distinct.length > 1) throw new InvalidTargetError('Name one resource per token request');
    const grant = options.grantResources;
    let uri = distinct[0];
    if (uri !== undefined && grant !== undefined && !grant.includes(uri)) throw new InvalidTargetError('The resource is not one the grant was authorized for');
    if (uri === undefined && grant?.length === 1) uri = grant[0];
    if (uri === undefined) return this.defaultTarget(client, grant !== undefined && grant.length > 0 ? scopes.filter((scope) => !this.resourceScopes.has(scope)) : scopes);
    const resource = this.resolveOne(client, uri);
    if (options.explicitScopes && !scopes.every((scope) => resource.scopes.includes(scope))) {
      throw new InvalidScopeError('A requested scope does not belong to the requested resource');
    }
    return {
      audience: resource.uri,
      scopes: scopes.filter((scope) => resource.scopes.includes(scope)),
      format: resource.accessTokenFormat ?? this.clientFormat(client),
      ttl: resource.accessTokenTtl ?? this.options.accessToken.ttl,
    };
  }

  /** Today's token, whatever the configured resources: the client's audience and format, else the server's. */
  defaultTarget(client: ClientEntity, scopes: readonly string[]): AccessTokenTarget {
    return {
      audience: client.audience ?? this.options.accessToken.audience,
      scopes: [...scopes],
      format: this.clientFormat(client),
      ttl: this.options.accessToken.ttl,
    };
  }

  private clientFormat(client: ClientEntity): AccessTokenFormat {
    return (client.accessTokenFormat as AccessTokenFormat | null) ?? this.options.accessToken.format;
  }
}
