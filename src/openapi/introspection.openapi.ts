import type { SchemaObject } from '@nestjs/swagger';
import { EXAMPLE_ISSUER, errorResponses, INVALID_CLIENT, NO_STORE_HEADERS, oauthError, STORAGE_UNAVAILABLE } from './openapi-errors.js';
import type { OperationDoc } from './openapi-operation.js';
import { CLIENT_AUTHENTICATION_SECURITY, PRESENTED_TOKEN_ERRORS, presentedTokenSchema } from './revocation.openapi.js';

const seconds = { type: 'integer', description: 'Seconds since the epoch.' } as const;

/** An introspection answer (RFC 7662 section 2.2): `{"active": false}`, or an active token's claims. */
const INTROSPECTION_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'IntrospectionResponse',
  required: ['active'],
  description: 'Anything not active (expired, revoked, rotated, unknown, malformed, another audience\'s) is exactly `{"active": false}`.',
  properties: {
    active: { type: 'boolean' },
    token_type: { type: 'string', enum: ['Bearer', 'DPoP', 'refresh_token'] },
    client_id: { type: 'string' },
    sub: { type: 'string' },
    scope: { type: 'string', description: 'Space-separated, when the token has scopes.' },
    aud: { type: 'string', description: 'Access tokens only.' },
    iss: { type: 'string', description: 'Access tokens only.' },
    jti: { type: 'string', description: 'Access tokens only.' },
    iat: seconds,
    exp: seconds,
    act: { type: 'object', additionalProperties: true, description: 'Token exchange (RFC 8693 section 4.1): the actor chain of a delegated token.' },
    may_act: { type: 'object', additionalProperties: true, description: 'RFC 8693 section 4.4: who may act for the subject.' },
    cnf: { type: 'object', properties: { jkt: { type: 'string' } }, description: 'A DPoP-bound token: the thumbprint of its key (RFC 9449 section 6.2).' },
  },
};

/** `POST /oauth/introspect` (RFC 7662 section 2). */
export const INTROSPECTION_OPERATION: OperationDoc = {
  operationId: 'introspectToken',
  summary: 'Introspect a token (resource servers)',
  description: [
    'Token introspection (RFC 7662 section 2), for clients seeded with `allowIntrospection` (resource servers), with real client authentication: a public client is 401 `invalid_client`, an authenticated client without the right 403 `unauthorized_client`, before the token is looked up.',
    '',
    'Access tokens of both formats and refresh tokens are found by hash; a JWT must also verify. A storage failure is 503, never an answer about the token.',
  ].join('\n'),
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    schema: presentedTokenSchema('IntrospectionRequest'),
    examples: { access_token: { summary: 'An access token', value: { token: 'AZPQx0Mj2aWnb1rtTnDz7AS4xKXrWQJvIgvVfsS6bHHcbLxq0CYaGRsOjuHnc5-9o', token_type_hint: 'access_token' } } },
  },
  security: CLIENT_AUTHENTICATION_SECURITY,
  responses: [
    {
      status: 200,
      description: 'The token\'s state (RFC 7662 section 2.2).',
      schema: INTROSPECTION_RESPONSE_SCHEMA,
      headers: NO_STORE_HEADERS,
      examples: {
        active: {
          summary: 'An active access token',
          value: { active: true, token_type: 'Bearer', client_id: 'reporting', sub: 'reporting', aud: 'https://api.example.com', iss: EXAMPLE_ISSUER, iat: 1765100000, exp: 1765103600, jti: 'AZPQx0Mj2aWnb1rtTnDz7A', scope: 'posts:read' },
        },
        active_refresh_token: {
          summary: 'An active refresh token',
          value: { active: true, token_type: 'refresh_token', client_id: 'demo-spa', sub: 'user-alice', iat: 1765100000, exp: 1767692000, scope: 'openid profile' },
        },
        inactive: { summary: 'Expired, revoked, unknown or malformed', value: { active: false } },
      },
    },
    ...errorResponses([
      ...PRESENTED_TOKEN_ERRORS,
      INVALID_CLIENT,
      oauthError('invalid_client', 'Introspection requires client authentication', 'A public client (only a `client_id`)', 401),
      oauthError('unauthorized_client', 'The client may not introspect tokens', 'The client is not allowed to introspect (`allowIntrospection`)', 403),
      STORAGE_UNAVAILABLE,
    ]),
  ],
};
