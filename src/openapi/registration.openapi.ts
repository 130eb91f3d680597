import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import { CLIENT_INFORMATION_EXAMPLE, CLIENT_INFORMATION_SCHEMA, CLIENT_METADATA_SCHEMA, REGISTRATION_REQUEST_EXAMPLE } from './client-metadata.openapi.js';
import { InvalidTokenError, MissingTokenError } from '../errors/bearer-errors.js';
import { UnapprovedSoftwareStatementError } from '../errors/registration-errors.js';
import { EXAMPLE_ISSUER, errorResponses, fromError, NO_STORE_HEADERS, oauthError, STORAGE_UNAVAILABLE, type ErrorExample } from './openapi-errors.js';
import type { BodyDoc, OperationDoc, ParameterDoc, ResponseDoc } from './openapi-operation.js';

const NOT_JSON = oauthError('invalid_request', 'The request body must be application/json', 'The body is not JSON', 415);
const NO_TOKEN = fromError(new MissingTokenError(EXAMPLE_ISSUER), 'No bearer token (RFC 6750 section 3.1)');
const BAD_REGISTRATION_TOKEN = fromError(
  new InvalidTokenError(EXAMPLE_ISSUER, 'The registration access token is invalid'),
  'Unknown, rotated, expired, or another client\'s token (which is then revoked)',
);

/** Errors of a request with client metadata (RFC 7591 section 3.2.2): nothing is registered or changed. */
const METADATA_ERRORS: ErrorExample[] = [
  oauthError('invalid_redirect_uri', 'Invalid redirect_uris: required for the authorization_code grant type', 'A redirect URI is missing or not acceptable'),
  oauthError('invalid_client_metadata', "Invalid application_type: must be 'web' or 'native'", 'A member has a wrong type or value, or asks for a feature the server does not have'),
  oauthError('invalid_software_statement', 'The software_statement must be a signed JWT', 'A software statement that is not a JWS'),
  fromError(new UnapprovedSoftwareStatementError(), 'A signed software statement (no trusted signer can be configured)'),
  oauthError('invalid_request', 'The request body must be a JSON object', 'The JSON is not an object'),
  NOT_JSON,
];

const METADATA_BODY: BodyDoc = {
  mediaType: 'application/json',
  schema: CLIENT_METADATA_SCHEMA,
  examples: { web_client: { summary: 'A confidential web client', value: REGISTRATION_REQUEST_EXAMPLE } },
};

const CLIENT_ID_PARAMETER: ParameterDoc = { in: 'path', name: 'clientId', required: true, description: 'The `client_id` of the registered client (its `registration_client_uri` is this URL).', schema: { type: 'string' } };

const information = (status: number, description: string): ResponseDoc => ({
  status,
  description,
  schema: CLIENT_INFORMATION_SCHEMA,
  headers: NO_STORE_HEADERS,
  examples: { registered: { summary: 'A client with a secret', value: CLIENT_INFORMATION_EXAMPLE } },
});

const DISABLED = 'With `registration.mode: disabled` (the default) these endpoints answer 404 and the metadata has no `registration_endpoint`.';
const NOT_FOUND: ResponseDoc = { status: 404, description: 'Registration is disabled (`registration.mode`).' };

/** `POST /oauth/register` (RFC 7591 section 3.1). */
export const REGISTER_OPERATION: OperationDoc = {
  operationId: 'registerClient',
  summary: 'Register a client',
  description: [
    'Dynamic client registration (RFC 7591 section 3). In `initial-access-token` mode the request needs one of the configured initial access tokens; in `open` mode none. Requests are rate limited per address (`registration.rateLimit`).',
    '',
    'The answer has a server-assigned `client_id`, a secret shown once (stored as a scrypt hash) when the method needs one, and a registration access token for the client configuration URL. ' + DISABLED,
  ].join('\n'),
  body: METADATA_BODY,
  security: [{ [AUTHNEST_SECURITY.initialAccessToken]: [] }, {}],
  responses: [
    information(201, 'Registered (RFC 7591 section 3.2.1).'),
    NOT_FOUND,
    ...errorResponses([
      ...METADATA_ERRORS,
      NO_TOKEN,
      fromError(new InvalidTokenError(EXAMPLE_ISSUER, 'The initial access token is invalid'), 'A wrong initial access token'),
      oauthError('temporarily_unavailable', 'Too many registration requests from this address', 'Over `registration.rateLimit`', 429, { 'Retry-After': '900' }),
      STORAGE_UNAVAILABLE,
    ]),
  ],
};

const MANAGEMENT_SECURITY = [{ [AUTHNEST_SECURITY.registrationAccessToken]: [] }];
const MANAGEMENT_ERRORS = [NO_TOKEN, BAD_REGISTRATION_TOKEN, STORAGE_UNAVAILABLE];

/** `GET /oauth/register/{clientId}` (RFC 7592 section 2.1). */
export const READ_REGISTRATION_OPERATION: OperationDoc = {
  operationId: 'readClientRegistration',
  summary: 'Read a registered client',
  description: `The current registration of the client (RFC 7592 section 2.1), with the presented registration access token; never the secret. ${DISABLED}`,
  parameters: [CLIENT_ID_PARAMETER],
  security: MANAGEMENT_SECURITY,
  responses: [information(200, 'The registration (RFC 7592 section 3).'), NOT_FOUND, ...errorResponses(MANAGEMENT_ERRORS)],
};

/** `PUT /oauth/register/{clientId}` (RFC 7592 section 2.2). */
export const UPDATE_REGISTRATION_OPERATION: OperationDoc = {
  operationId: 'updateClientRegistration',
  summary: 'Replace a registered client\'s metadata',
  description: [
    'Replaces the registration (RFC 7592 section 2.2): omitted members go back to their defaults. The body must carry the `client_id` and no server-managed member (`registration_access_token`, `registration_client_uri`, `client_secret_expires_at`, `client_id_issued_at`); a `client_secret`, when sent, must be the current one.',
    '',
    'The registration access token rotates (the old one stops working); the secret is kept. ' + DISABLED,
  ].join('\n'),
  parameters: [CLIENT_ID_PARAMETER],
  body: {
    ...METADATA_BODY,
    schema: { ...CLIENT_METADATA_SCHEMA, title: 'ClientUpdate', required: ['client_id'], properties: { client_id: { type: 'string' }, client_secret: { type: 'string' }, ...CLIENT_METADATA_SCHEMA.properties } },
    examples: { web_client: { summary: 'The same client, renamed', value: { client_id: CLIENT_INFORMATION_EXAMPLE.client_id, ...REGISTRATION_REQUEST_EXAMPLE, client_name: 'Reporting' } } },
  },
  security: MANAGEMENT_SECURITY,
  responses: [
    information(200, 'Updated: the new registration and registration access token.'),
    NOT_FOUND,
    ...errorResponses([
      oauthError('invalid_request', "The request must include the client's own client_id", 'The body lacks the `client_id`, or names another'),
      oauthError('invalid_request', 'The client_secret is not the current one', 'A `client_secret` that is not the current one'),
      ...METADATA_ERRORS,
      ...MANAGEMENT_ERRORS,
    ]),
  ],
};

/** `DELETE /oauth/register/{clientId}` (RFC 7592 section 2.3). */
export const DELETE_REGISTRATION_OPERATION: OperationDoc = {
  operationId: 'deleteClientRegistration',
  summary: 'Delete a registered client',
  description: `Deletes the client, its tokens and grants (RFC 7592 section 2.3). ${DISABLED}`,
  parameters: [CLIENT_ID_PARAMETER],
  security: MANAGEMENT_SECURITY,
  responses: [{ status: 204, description: 'Deleted.', headers: { 'Cache-Control': NO_STORE_HEADERS['Cache-Control']! } }, NOT_FOUND, ...errorResponses(MANAGEMENT_ERRORS)],
};
