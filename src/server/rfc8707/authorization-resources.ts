import { OAuthError } from '../../errors/oauth-error.js';
import { InvalidTargetError } from '../../errors/oauth-errors.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { AuthorizationRedirectError } from '../authorize/authorization-request.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import { requestedResources, type ResourceIndicators } from './resource-indicators.service.js';

/**
 * The `resource` values of an authorization request (RFC 8707 section 2.1) and the scopes that go with them: each
 * value configured and allowed for the client, else `invalid_target`; an explicitly requested scope that belongs to
 * a resource not named is `invalid_scope` (a default one is dropped). Without `resource`, `scopes` are unchanged.
 * Errors are `AuthorizationRedirectError`s, answered like every other error after the redirect URI is trusted.
 */
export function authorizationResources(
  indicators: ResourceIndicators,
  client: ClientEntity,
  params: FormParameters,
  scopes: string[],
): { resources: string[]; scopes: string[] } {
  try {
    const resources = indicators.resolve(client, requestedResources(params));
    return {
      resources: resources.map((resource) => resource.uri),
      scopes: indicators.authorizationScopes(resources, scopes, params.scope !== undefined),
    };
  } catch (error) {
    if (error instanceof OAuthError && (error instanceof InvalidTargetError || error.code === 'invalid_scope')) {
      throw new AuthorizationRedirectError(error.code === 'invalid_target' ? 'invalid_target' : 'invalid_scope', error.description);
    }
    throw error;
  }
}
