import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import { errorResponses, INVALID_CLIENT, NO_STORE_HEADERS, NOT_FORM_ENCODED, oauthError, STORAGE_UNAVAILABLE } from './openapi-errors.js';
import type { OperationDoc } from './openapi-operation.js';
import { AUTHORIZATION_REQUEST_PROPERTIES } from './browser.openapi.js';
import { CLIENT_AUTHENTICATION_PROPERTIES } from './token-request.openapi.js';

/** `POST /oauth/par` (RFC 9126 section 2). */
export const PUSHED_AUTHORIZATION_OPERATION: OperationDoc = {
  operationId: 'pushAuthorizationRequest',
  summary: 'Pushed authorization request: get a request_uri for the authorization endpoint',
  description: [
    'Pushed authorization requests (RFC 9126 section 2). The client authenticates as at the token endpoint and posts the parameters of an authorization request; they are validated by the authorization endpoint\'s own rules and stored for `par.ttl` seconds. The browser is then sent to the authorization endpoint with `client_id` and the one-time `request_uri` alone.',
    '',
    'Every refusal is a JSON error with the authorization endpoint\'s error code (section 2.3), never a redirect. A DPoP proof sent with the push binds the code to its key (RFC 9449 section 10.1).',
  ].join('\n'),
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    schema: { type: 'object', title: 'PushedAuthorizationRequest', required: ['response_type'], properties: { ...AUTHORIZATION_REQUEST_PROPERTIES, ...CLIENT_AUTHENTICATION_PROPERTIES } },
    examples: {
      code_with_pkce: {
        summary: 'A code request with PKCE',
        value: {
          response_type: 'code',
          redirect_uri: 'https://client.example.com/callback',
          scope: 'openid profile',
          state: 'af0ifjsldkj',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        },
      },
    },
  },
  security: [
    { [AUTHNEST_SECURITY.clientSecretBasic]: [] },
    { [AUTHNEST_SECURITY.clientSecretBasic]: [], [AUTHNEST_SECURITY.dpopProof]: [] },
    { [AUTHNEST_SECURITY.dpopProof]: [] },
    {},
  ],
  responses: [
    {
      status: 201,
      description: 'Stored (RFC 9126 section 2.2).',
      headers: NO_STORE_HEADERS,
      schema: {
        type: 'object',
        title: 'PushedAuthorizationResponse',
        required: ['request_uri', 'expires_in'],
        properties: { request_uri: { type: 'string', description: 'One-time reference for the authorization endpoint.' }, expires_in: { type: 'integer', description: '`par.ttl` seconds.' } },
      },
      examples: { pushed: { summary: 'The default lifetime', value: { request_uri: 'urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c', expires_in: 60 } } },
    },
    ...errorResponses([
      NOT_FORM_ENCODED,
      oauthError('invalid_request', 'A pushed authorization request must not contain request_uri', 'A `request_uri` in the push'),
      oauthError('invalid_request', 'The redirect URI is not registered for this client.', 'A redirect URI that is not registered'),
      oauthError('invalid_request', 'A PKCE code_challenge is required (RFC 7636)', 'No PKCE code_challenge (required from every client by default)'),
      oauthError('unauthorized_client', 'The client may not use the authorization code grant', 'The client does not have the authorization_code grant'),
      oauthError('invalid_scope', 'The requested scope is unknown', 'A scope the server or the client does not have'),
      oauthError('invalid_dpop_proof', 'dpop_jkt does not match the key of the DPoP proof', 'A DPoP proof of another key than `dpop_jkt`'),
      INVALID_CLIENT,
      STORAGE_UNAVAILABLE,
    ]),
  ],
};
