import type { SchemaObject } from '@nestjs/swagger';
import { EXAMPLE_ISSUER } from './openapi-errors.js';

const uri: SchemaObject = { type: 'string', format: 'uri' };
const uris = (description: string): SchemaObject => ({ type: 'array', items: uri, description });
const text = (description: string): SchemaObject => ({ type: 'string', description });

/**
 * Client metadata a client may register (RFC 7591 section 2, OpenID Connect Dynamic Client Registration 1.0 section 2,
 * RP-Initiated and Back-Channel Logout, RFC 9126 section 6, RFC 9449 section 5.2). Unknown members are ignored;
 * members of features authnest does not implement are `invalid_client_metadata`.
 */
export const CLIENT_METADATA_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'ClientMetadata',
  properties: {
    redirect_uris: uris('Required for the authorization_code grant: exact URIs (https, or http on loopback for native apps).'),
    token_endpoint_auth_method: {
      type: 'string',
      enum: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
      description: 'One of `registration.authMethods` (default `client_secret_basic`).',
    },
    grant_types: { type: 'array', items: { type: 'string' }, description: 'Among `registration.grantTypes`.' },
    response_types: { type: 'array', items: { type: 'string', enum: ['code'] } },
    client_name: text('Shown on the consent page.'),
    client_uri: uri,
    logo_uri: uri,
    tos_uri: uri,
    policy_uri: uri,
    contacts: { type: 'array', items: { type: 'string' } },
    scope: text('Space-separated scopes, among `registration.allowedScopes`.'),
    jwks_uri: { ...uri, description: '`private_key_jwt`: where the client\'s public keys are (public https host).' },
    jwks: { type: 'object', additionalProperties: true, description: '`private_key_jwt`: the client\'s public keys, inline.' },
    software_id: text('Kept as registered.'),
    software_version: text('Kept as registered.'),
    token_endpoint_auth_signing_alg: text('The JWS algorithm of the client\'s assertions.'),
    application_type: { type: 'string', enum: ['web', 'native'] },
    post_logout_redirect_uris: uris('RP-initiated logout redirect URIs.'),
    backchannel_logout_uri: { ...uri, description: 'Back-channel logout endpoint of the client.' },
    backchannel_logout_session_required: { type: 'boolean' },
    subject_type: { type: 'string', enum: ['public', 'pairwise'] },
    sector_identifier_uri: uri,
    id_token_signed_response_alg: text('Must be the server\'s signing algorithm.'),
    require_pushed_authorization_requests: { type: 'boolean', description: 'RFC 9126 section 6.' },
    dpop_bound_access_tokens: { type: 'boolean', description: 'RFC 9449 section 5.2 (needs the server\'s `dpop` option).' },
  },
};

/** The client information response (RFC 7591 section 3.2.1, RFC 7592 section 3): the metadata plus credentials. */
export const CLIENT_INFORMATION_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'ClientInformation',
  required: ['client_id', 'client_id_issued_at', 'registration_access_token', 'registration_client_uri'],
  properties: {
    client_id: { type: 'string' },
    client_id_issued_at: { type: 'integer' },
    client_secret: text('Only in the response that issued it (store it: the server keeps only a hash).'),
    client_secret_expires_at: { type: 'integer', description: '`0`: the secret does not expire.' },
    registration_access_token: text('Bearer token for the client configuration URL; a new one after every update.'),
    registration_client_uri: uri,
    ...CLIENT_METADATA_SCHEMA.properties,
  },
};

/** A registration request. */
export const REGISTRATION_REQUEST_EXAMPLE = {
  client_name: 'Reporting dashboard',
  redirect_uris: ['https://dashboard.example.com/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid profile',
};

/** Its answer. */
export const CLIENT_INFORMATION_EXAMPLE = {
  client_id: 'Kt3l0d6fF9yQ2bTzH1mXw0aB',
  client_id_issued_at: 1765100000,
  client_secret: 'mJ8rQx1VbN4cT7zK2pL9sW3yF6hD0gA5eU8iO1tR4wE',
  client_secret_expires_at: 0,
  registration_access_token: 'Zp4Xq7Lm2Vn9Bc6Tr1Yw8Hs3Jd5Kf0Ga4Ue7Io2Pz1',
  registration_client_uri: `${EXAMPLE_ISSUER}/oauth/register/Kt3l0d6fF9yQ2bTzH1mXw0aB`,
  redirect_uris: ['https://dashboard.example.com/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_type: 'web',
  subject_type: 'public',
  id_token_signed_response_alg: 'ES256',
  client_name: 'Reporting dashboard',
  scope: 'openid profile',
};
