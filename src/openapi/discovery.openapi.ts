import type { SchemaObject } from '@nestjs/swagger';
import { JWKS_MAX_AGE } from '../options/resolve-signing-options.js';
import { EXAMPLE_ISSUER } from './openapi-errors.js';
import type { OperationDoc, ResponseDoc } from './openapi-operation.js';

const cacheHeader = (seconds: number) => ({ 'Cache-Control': { description: 'Clients may cache the document.', schema: { type: 'string', example: `public, max-age=${seconds}` } } });

const uri: SchemaObject = { type: 'string', format: 'uri' };
const list: SchemaObject = { type: 'array', items: { type: 'string' } };

/** The metadata document (RFC 8414 section 2, OpenID Connect Discovery 1.0 section 3): the members authnest sends. */
const METADATA_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'AuthorizationServerMetadata',
  required: ['issuer', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'grant_types_supported'],
  additionalProperties: true,
  properties: {
    issuer: uri,
    authorization_endpoint: uri,
    token_endpoint: uri,
    userinfo_endpoint: uri,
    jwks_uri: uri,
    end_session_endpoint: uri,
    revocation_endpoint: uri,
    introspection_endpoint: uri,
    device_authorization_endpoint: uri,
    pushed_authorization_request_endpoint: uri,
    require_pushed_authorization_requests: { type: 'boolean' },
    registration_endpoint: { ...uri, description: 'Only when `registration.mode` enables registration.' },
    scopes_supported: list,
    response_types_supported: list,
    response_modes_supported: list,
    grant_types_supported: list,
    token_endpoint_auth_methods_supported: list,
    code_challenge_methods_supported: list,
    dpop_signing_alg_values_supported: { ...list, description: 'Only with the `dpop` option.' },
    subject_types_supported: list,
    id_token_signing_alg_values_supported: list,
    claims_supported: list,
  },
};

const METADATA_EXAMPLE = {
  issuer: EXAMPLE_ISSUER,
  authorization_endpoint: `${EXAMPLE_ISSUER}/oauth/authorize`,
  token_endpoint: `${EXAMPLE_ISSUER}/oauth/token`,
  userinfo_endpoint: `${EXAMPLE_ISSUER}/oauth/userinfo`,
  jwks_uri: `${EXAMPLE_ISSUER}/oauth/jwks`,
  end_session_endpoint: `${EXAMPLE_ISSUER}/oauth/logout`,
  revocation_endpoint: `${EXAMPLE_ISSUER}/oauth/revoke`,
  introspection_endpoint: `${EXAMPLE_ISSUER}/oauth/introspect`,
  device_authorization_endpoint: `${EXAMPLE_ISSUER}/oauth/device_authorization`,
  pushed_authorization_request_endpoint: `${EXAMPLE_ISSUER}/oauth/par`,
  require_pushed_authorization_requests: false,
  scopes_supported: ['openid', 'profile', 'email', 'posts:read'],
  response_types_supported: ['code'],
  response_modes_supported: ['query', 'form_post'],
  grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
  subject_types_supported: ['public', 'pairwise'],
  id_token_signing_alg_values_supported: ['ES256'],
  claims_parameter_supported: true,
  request_parameter_supported: false,
  request_uri_parameter_supported: false,
};

const METADATA_OK: ResponseDoc = {
  status: 200,
  description: 'The metadata: exactly what this server implements and offers.',
  schema: METADATA_SCHEMA,
  headers: cacheHeader(300),
  examples: { metadata: { summary: 'An excerpt', value: METADATA_EXAMPLE } },
};

/** `GET /.well-known/oauth-authorization-server` (RFC 8414 section 3). */
export const OAUTH_METADATA_OPERATION: OperationDoc = {
  operationId: 'getAuthorizationServerMetadata',
  summary: 'Authorization server metadata (RFC 8414)',
  description: 'The metadata document (RFC 8414 section 3). Endpoint URLs are the issuer followed by the endpoint paths. The same document as `/.well-known/openid-configuration`.',
  responses: [METADATA_OK],
};

/** `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0 section 4). */
export const OPENID_CONFIGURATION_OPERATION: OperationDoc = {
  operationId: 'getOpenIdConfiguration',
  summary: 'OpenID Provider configuration (OpenID Connect Discovery)',
  description: 'The same metadata document, at the URL OpenID relying parties look for (OpenID Connect Discovery 1.0 section 4).',
  responses: [METADATA_OK],
};

/** `GET /oauth/jwks` (RFC 7517 section 5). */
export const JWKS_OPERATION: OperationDoc = {
  operationId: 'getJwks',
  summary: 'The public signing keys (JWK Set)',
  description: 'The JWK Set of the server\'s signing keys (RFC 7517 section 5): public members only, with `kid`, `alg` and `use`. Keys being rotated in (not yet signing) and retiring keys are included, revoked ones not.',
  responses: [
    {
      status: 200,
      description: 'The JWK Set.',
      headers: cacheHeader(JWKS_MAX_AGE),
      schema: {
        type: 'object',
        title: 'JsonWebKeySet',
        required: ['keys'],
        properties: { keys: { type: 'array', items: { type: 'object', required: ['kty', 'kid', 'alg', 'use'], additionalProperties: true, properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string', enum: ['sig'] } } } } },
      },
      examples: {
        es256: {
          summary: 'One ES256 key',
          value: { keys: [{ kid: 'Zf1gx2J4QvM', alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] },
        },
      },
    },
  ],
};
