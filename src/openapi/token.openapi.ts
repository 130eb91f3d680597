import type { HeaderObject, SchemaObject } from '@nestjs/swagger';
import { AccessDeniedError, AuthorizationPendingError, ExpiredTokenError, SlowDownError } from '../errors/device-errors.js';
import { DPOP_NONCE_HEADER, UseDpopNonceError } from '../errors/dpop-errors.js';
import { UnsupportedGrantTypeError } from '../errors/oauth-errors.js';
import { TOKEN_TYPES } from '../server/rfc8693/token-types.js';
import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import {
  errorResponses,
  fromError,
  INVALID_CLIENT,
  NO_STORE_HEADERS,
  NOT_FORM_ENCODED,
  oauthError,
  REPEATED_PARAMETER,
  SERVER_ERROR,
  STORAGE_UNAVAILABLE,
  type ErrorExample,
} from './openapi-errors.js';
import type { OperationDoc } from './openapi-operation.js';
import { TOKEN_REQUEST_EXAMPLES, TOKEN_REQUEST_SCHEMA } from './token-request.openapi.js';

/** A successful token response (RFC 6749 section 5.1). */
export const TOKEN_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'TokenResponse',
  required: ['access_token', 'token_type', 'expires_in'],
  properties: {
    access_token: { type: 'string', description: 'A JWT or an opaque token (the client\'s `accessTokenFormat`).' },
    token_type: { type: 'string', enum: ['Bearer', 'DPoP'], description: '`DPoP` when the token is bound to the key of the request\'s DPoP proof (RFC 9449 section 5).' },
    expires_in: { type: 'integer', description: 'Lifetime of the access token in seconds.' },
    refresh_token: { type: 'string', description: 'For clients with the `refresh_token` grant (authorization code, device code, refresh).' },
    scope: { type: 'string', description: 'The granted scopes, space-separated, when there are any.' },
    id_token: { type: 'string', description: 'OpenID Connect: an ID token when `openid` was granted to a user (OpenID Connect Core section 3.1.3.3).' },
    issued_token_type: { type: 'string', enum: [TOKEN_TYPES.accessToken], description: 'Token exchange only (RFC 8693 section 2.2.1).' },
  },
};

const EXAMPLE_DPOP_NONCE = 'eyJ7S_zG.eyJH0-Z.HX4w-7v';

/** The `DPoP-Nonce` header of token endpoint answers, when proofs must carry server nonces. */
export const DPOP_NONCE_RESPONSE_HEADER: Record<string, HeaderObject> = {
  [DPOP_NONCE_HEADER]: {
    description: 'With `dpop.requireNonce`: the nonce to put in the next DPoP proof (RFC 9449 section 8.2), on every answer.',
    schema: { type: 'string', example: EXAMPLE_DPOP_NONCE },
  },
};

/** Every error the token endpoint answers, with its exact description. */
const TOKEN_ERRORS: ErrorExample[] = [
  NOT_FORM_ENCODED,
  REPEATED_PARAMETER,
  oauthError('invalid_request', 'The code parameter is missing', 'A parameter the grant requires is missing'),
  oauthError('invalid_request', 'Use exactly one client authentication method', 'Credentials both in the Authorization header and in the body'),
  oauthError('invalid_grant', 'The authorization code is invalid', 'Unknown, already used or another client\'s authorization code (a replay also revokes what it issued; an expired one: `The authorization code expired`)'),
  oauthError('invalid_grant', 'The code_verifier does not match the code_challenge', 'PKCE verification failed (the code is burnt)'),
  oauthError('invalid_grant', 'The refresh token is invalid', 'Unknown, revoked or rotated refresh token (reuse revokes the whole family)'),
  oauthError('unauthorized_client', 'The client may not use this grant type', 'The client is not registered for this grant, or is public where the grant needs authentication'),
  fromError(new UnsupportedGrantTypeError(), 'Missing or unknown grant_type'),
  oauthError('invalid_scope', 'The requested scope is unknown', 'A scope the server or the client does not have'),
  oauthError('invalid_target', 'The resource is unknown', 'A resource indicator that is not configured or not allowed (RFC 8707)'),
  oauthError('invalid_dpop_proof', 'The DPoP proof is not a signed JWT', 'A malformed, mis-signed, replayed or mismatched DPoP proof, or none where one is required (RFC 9449 section 5)'),
  fromError(new UseDpopNonceError(EXAMPLE_DPOP_NONCE), 'With `dpop.requireNonce`: retry with the nonce of the `DPoP-Nonce` header (RFC 9449 section 8)'),
  fromError(new AuthorizationPendingError(), 'Device code: keep polling at the interval (RFC 8628 section 3.5)'),
  fromError(new SlowDownError(), 'Device code: polling too often'),
  fromError(new ExpiredTokenError(), 'Device code: start again at the device authorization endpoint'),
  fromError(new AccessDeniedError(), 'Device code: the user said no'),
  INVALID_CLIENT,
  SERVER_ERROR,
  STORAGE_UNAVAILABLE,
];

/** `POST /oauth/token` (RFC 6749 section 3.2). */
export const TOKEN_OPERATION: OperationDoc = {
  operationId: 'requestToken',
  summary: 'Token endpoint: exchange a grant for an access token',
  description: [
    'The token endpoint (RFC 6749 section 3.2). Steps: read the form (`application/x-www-form-urlencoded` only; a repeated or structured parameter is `invalid_request`), find the grant (`grant_type`), authenticate the client, check the client may use the grant, check a DPoP proof when there is one (RFC 9449 section 5), then let the grant answer.',
    '',
    'Grants: `authorization_code` with PKCE (RFC 7636), `refresh_token` (rotation with reuse detection), `client_credentials`, the device code (RFC 8628), the JWT bearer grant (RFC 7523) and token exchange (RFC 8693), plus any grant the host registers. Client authentication: `client_secret_basic` (HTTP Basic), `client_secret_post`, `client_secret_jwt` and `private_key_jwt` (body parameters), or `none` for public clients (their `client_id` in the body), exactly one per request.',
  ].join('\n'),
  body: { mediaType: 'application/x-www-form-urlencoded', schema: TOKEN_REQUEST_SCHEMA, examples: TOKEN_REQUEST_EXAMPLES },
  security: [
    { [AUTHNEST_SECURITY.clientSecretBasic]: [] },
    { [AUTHNEST_SECURITY.clientSecretBasic]: [], [AUTHNEST_SECURITY.dpopProof]: [] },
    { [AUTHNEST_SECURITY.dpopProof]: [] },
    {},
  ],
  responses: [
    {
      status: 200,
      description: 'The tokens (RFC 6749 section 5.1).',
      schema: TOKEN_RESPONSE_SCHEMA,
      headers: { ...NO_STORE_HEADERS, ...DPOP_NONCE_RESPONSE_HEADER },
      examples: {
        client_credentials: { summary: 'client_credentials', value: { access_token: 'AZPQx0Mj2aWnb1rtTnDz7AS4xKXrWQJvIgvVfsS6bHHcbLxq0CYaGRsOjuHnc5-9o', token_type: 'Bearer', expires_in: 3600, scope: 'posts:read' } },
        authorization_code: {
          summary: 'authorization_code with openid (a refresh token for clients with that grant)',
          value: { access_token: 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJpc3MiOi4uLn0.c2ln', token_type: 'Bearer', expires_in: 3600, refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA9fCmVu8uJ0ZqkHEoQ8pLs', scope: 'openid profile', id_token: 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOi4uLn0.c2ln' },
        },
        dpop: { summary: 'A DPoP-bound token (the request had a valid DPoP proof)', value: { access_token: 'AZPQx0Mj2aWnb1rtTnDz7AS4xKXrWQJvIgvVfsS6bHHcbLxq0CYaGRsOjuHnc5-9o', token_type: 'DPoP', expires_in: 3600, scope: 'posts:read' } },
        token_exchange: { summary: 'Token exchange', value: { access_token: 'AZPQx0Mj2aWnb1rtTnDz7AS4xKXrWQJvIgvVfsS6bHHcbLxq0CYaGRsOjuHnc5-9o', issued_token_type: TOKEN_TYPES.accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'posts:read' } },
      },
    },
    ...errorResponses(TOKEN_ERRORS),
  ],
};
