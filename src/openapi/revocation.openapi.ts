import type { SchemaObject, SecurityRequirementObject } from '@nestjs/swagger';
import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import { UnsupportedTokenTypeError } from '../errors/oauth-errors.js';
import { errorResponses, fromError, INVALID_CLIENT, NO_STORE_HEADERS, NOT_FORM_ENCODED, oauthError, STORAGE_UNAVAILABLE } from './openapi-errors.js';
import type { OperationDoc } from './openapi-operation.js';
import { CLIENT_AUTHENTICATION_PROPERTIES } from './token-request.openapi.js';

/** The form of revocation and introspection requests: a token, a hint, and the client's body credentials. */
export function presentedTokenSchema(title: string): SchemaObject {
  return {
    type: 'object',
    title,
    required: ['token'],
    properties: {
      token: { type: 'string', description: 'An access token or a refresh token this server issued.' },
      token_type_hint: {
        type: 'string',
        enum: ['access_token', 'refresh_token'],
        description: 'Where to look first (the server looks in both). Any other value is `unsupported_token_type`.',
      },
      ...CLIENT_AUTHENTICATION_PROPERTIES,
    },
  };
}

/** Security of revocation and introspection: HTTP Basic, or credentials in the body. */
export const CLIENT_AUTHENTICATION_SECURITY: SecurityRequirementObject[] = [{ [AUTHNEST_SECURITY.clientSecretBasic]: [] }, {}];

/** Errors both endpoints answer before they look at the token. */
export const PRESENTED_TOKEN_ERRORS = [
  NOT_FORM_ENCODED,
  oauthError('invalid_request', 'The token parameter is missing', 'No `token`'),
  fromError(new UnsupportedTokenTypeError(), 'A `token_type_hint` other than access_token or refresh_token (RFC 7009 section 2.2.1)'),
];

/** `POST /oauth/revoke` (RFC 7009 section 2). */
export const REVOCATION_OPERATION: OperationDoc = {
  operationId: 'revokeToken',
  summary: 'Revoke an access token or a refresh token',
  description: [
    'Token revocation (RFC 7009 section 2). The client authenticates as at the token endpoint (public clients with their `client_id`) and may revoke only its own tokens.',
    '',
    'A refresh token revokes its whole family and every access token of the grant; an access token revokes that token. An unknown token, or another client\'s, is answered 200 too and changes nothing (section 2.2). A storage failure is 503, never a 200 that revoked nothing.',
  ].join('\n'),
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    schema: presentedTokenSchema('RevocationRequest'),
    examples: { refresh_token: { summary: 'A refresh token, with its hint', value: { token: 'tGzv3JOkF0XG5Qx2TlKWIA9fCmVu8uJ0ZqkHEoQ8pLs', token_type_hint: 'refresh_token' } } },
  },
  security: CLIENT_AUTHENTICATION_SECURITY,
  responses: [
    {
      status: 200,
      description: 'Revoked, or nothing to revoke: an empty JSON object.',
      schema: { type: 'object', title: 'RevocationResponse', additionalProperties: false },
      examples: { revoked: { summary: 'Always `{}`', value: {} } },
      headers: NO_STORE_HEADERS,
    },
    ...errorResponses([...PRESENTED_TOKEN_ERRORS, INVALID_CLIENT, STORAGE_UNAVAILABLE]),
  ],
};
