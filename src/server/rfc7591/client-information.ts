import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { INFORMATION_MEMBERS } from './client-metadata.js';

/** The client information response (RFC 7591 section 3.2.1, RFC 7592 section 3). */
export type ClientInformation = Record<string, unknown> & {
  client_id: string;
  client_id_issued_at: number;
  registration_access_token: string;
  registration_client_uri: string;
};

/** What only the moment of issuance knows: the registration access token, and a client secret when one was just issued. */
export interface IssuedCredentials {
  registrationAccessToken: string;
  registrationClientUri: string;
  clientSecret?: string;
}

const seconds = (millis: number) => Math.floor(millis / 1000);

/**
 * The registered client as the client information response: every registered member, the values the server put in
 * their place (defaults, `id_token_signed_response_alg`), never the secret's hash. The client secret appears only
 * in the response that issued it (`client_secret_expires_at: 0`: it does not expire).
 */
export function clientInformation(client: ClientEntity, issued: IssuedCredentials, signingAlgorithm: string): ClientInformation {
  const stored = client.registrationMetadata ?? {};
  const info: ClientInformation = {
    client_id: client.clientId,
    client_id_issued_at: seconds(client.registeredAt ?? client.createdAt),
    ...(issued.clientSecret ? { client_secret: issued.clientSecret } : {}),
    ...(client.secretHash !== null ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: issued.registrationAccessToken,
    registration_client_uri: issued.registrationClientUri,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: client.authMethods[0] ?? 'none',
    application_type: stored.application_type ?? 'web',
    subject_type: client.subjectType,
    id_token_signed_response_alg: signingAlgorithm,
  };
  if (stored.client_name !== undefined) info.client_name = stored.client_name;
  if (client.scopes.length > 0) info.scope = client.scopes.join(' ');
  for (const name of INFORMATION_MEMBERS) if (stored[name] !== undefined) info[name] = stored[name];
  if (client.jwks) info.jwks = client.jwks;
  if (client.jwksUri) info.jwks_uri = client.jwksUri;
  if (client.tokenEndpointAuthSigningAlg) info.token_endpoint_auth_signing_alg = client.tokenEndpointAuthSigningAlg;
  if (client.postLogoutRedirectUris.length > 0) info.post_logout_redirect_uris = client.postLogoutRedirectUris;
  if (client.backchannelLogoutUri) info.backchannel_logout_uri = client.backchannelLogoutUri;
  if (stored.backchannel_logout_session_required !== undefined) info.backchannel_logout_session_required = stored.backchannel_logout_session_required;
  if (stored.sector_identifier_uri !== undefined) info.sector_identifier_uri = stored.sector_identifier_uri;
  if (client.requirePushedAuthorizationRequests) info.require_pushed_authorization_requests = true;
  if (client.dpopBoundAccessTokens) info.dpop_bound_access_tokens = true;
  return info;
}
