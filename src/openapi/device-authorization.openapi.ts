import type { SchemaObject } from '@nestjs/swagger';
import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import { EXAMPLE_ISSUER, errorResponses, INVALID_CLIENT, NO_STORE_HEADERS, NOT_FORM_ENCODED, oauthError, REPEATED_PARAMETER, STORAGE_UNAVAILABLE } from './openapi-errors.js';
import type { OperationDoc } from './openapi-operation.js';
import { CLIENT_AUTHENTICATION_PROPERTIES, RESOURCE_PROPERTY } from './token-request.openapi.js';

const DEVICE_AUTHORIZATION_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'DeviceAuthorizationResponse',
  required: ['device_code', 'user_code', 'verification_uri', 'verification_uri_complete', 'expires_in', 'interval'],
  properties: {
    device_code: { type: 'string', description: 'For the device\'s polling at the token endpoint; never shown to the user.' },
    user_code: { type: 'string', description: 'What the user types at the verification page.' },
    verification_uri: { type: 'string', format: 'uri' },
    verification_uri_complete: { type: 'string', format: 'uri', description: 'The verification page with the user code filled in (for a QR code).' },
    expires_in: { type: 'integer', description: '`deviceFlow.codeTtl` seconds.' },
    interval: { type: 'integer', description: 'Seconds to wait between polls (`deviceFlow.interval`).' },
  },
};

/** `POST /oauth/device_authorization` (RFC 8628 section 3.1). */
export const DEVICE_AUTHORIZATION_OPERATION: OperationDoc = {
  operationId: 'requestDeviceAuthorization',
  summary: 'Device authorization: get a device code and a user code',
  description: [
    'The device authorization endpoint (RFC 8628 sections 3.1 and 3.2). The client authenticates exactly as at the token endpoint (public device clients with their `client_id`) and must have the device code grant; `scope` and `resource` are checked as at the authorization endpoint.',
    '',
    'The device shows `user_code` and `verification_uri`, then polls the token endpoint with `grant_type=urn:ietf:params:oauth:grant-type:device_code` every `interval` seconds.',
  ].join('\n'),
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    schema: {
      type: 'object',
      title: 'DeviceAuthorizationRequest',
      properties: { scope: { type: 'string', description: 'Space-separated scopes.', example: 'openid profile' }, resource: RESOURCE_PROPERTY, ...CLIENT_AUTHENTICATION_PROPERTIES },
    },
    examples: { public_device: { summary: 'A public device client', value: { client_id: 'demo-device', scope: 'openid profile' } } },
  },
  security: [{ [AUTHNEST_SECURITY.clientSecretBasic]: [] }, {}],
  responses: [
    {
      status: 200,
      description: 'The codes (RFC 8628 section 3.2).',
      schema: DEVICE_AUTHORIZATION_RESPONSE_SCHEMA,
      headers: NO_STORE_HEADERS,
      examples: {
        codes: {
          summary: 'Codes for the default device flow options',
          value: {
            device_code: 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eSXq',
            user_code: 'WDJB-MJHT',
            verification_uri: `${EXAMPLE_ISSUER}/oauth/device`,
            verification_uri_complete: `${EXAMPLE_ISSUER}/oauth/device?user_code=WDJB-MJHT`,
            expires_in: 600,
            interval: 5,
          },
        },
      },
    },
    ...errorResponses([
      NOT_FORM_ENCODED,
      REPEATED_PARAMETER,
      oauthError('unauthorized_client', 'The client may not use the device authorization grant', 'The client does not have the device code grant'),
      oauthError('invalid_scope', 'The requested scope is unknown', 'A scope the server or the client does not have'),
      oauthError('invalid_target', 'The resource is unknown', 'A resource indicator that is not configured or not allowed (RFC 8707)'),
      INVALID_CLIENT,
      STORAGE_UNAVAILABLE,
    ]),
  ],
};
