import type { ResolvedClientSeed } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';

/** The columns of a client row that come straight from its (validated) metadata, configured or registered. */
export type SeedColumns = Pick<
  ClientEntity,
  | 'clientId'
  | 'name'
  | 'authMethods'
  | 'grantTypes'
  | 'scopes'
  | 'defaultScopes'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'backchannelLogoutUri'
  | 'subjectType'
  | 'sectorIdentifier'
  | 'jwks'
  | 'jwksUri'
  | 'tokenEndpointAuthSigningAlg'
  | 'resources'
  | 'requirePushedAuthorizationRequests'
  | 'dpopBoundAccessTokens'
>;

export function seedColumns(seed: ResolvedClientSeed): SeedColumns {
  return {
    clientId: seed.clientId,
    name: seed.name,
    authMethods: seed.authMethods,
    grantTypes: seed.grantTypes,
    scopes: seed.scopes,
    defaultScopes: seed.defaultScopes,
    redirectUris: seed.redirectUris,
    postLogoutRedirectUris: seed.postLogoutRedirectUris ?? [],
    backchannelLogoutUri: seed.backchannelLogoutUri ?? null,
    subjectType: seed.subjectType ?? 'public',
    sectorIdentifier: seed.sectorIdentifier ?? null,
    jwks: seed.jwks ?? null,
    jwksUri: seed.jwksUri ?? null,
    tokenEndpointAuthSigningAlg: seed.tokenEndpointAuthSigningAlg ?? null,
    resources: seed.resources ?? null,
    requirePushedAuthorizationRequests: seed.requirePushedAuthorizationRequests ?? false,
    dpopBoundAccessTokens: seed.dpopBoundAccessTokens ?? false,
  };
}
