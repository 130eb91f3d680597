import type { SchemaObject } from '@nestjs/swagger';
import type { OperationDoc, ParameterDoc, ResponseDoc } from './openapi-operation.js';

const text = (description: string): SchemaObject => ({ type: 'string', description });

/** Parameters of an authorization request (RFC 6749 section 4.1.1, RFC 7636, OpenID Connect Core 3.1.2.1, RFC 8707, RFC 9449 section 10). */
export const AUTHORIZATION_REQUEST_PROPERTIES: Record<string, SchemaObject> = {
  response_type: { type: 'string', enum: ['code'], description: 'Always `code` (the authorization code flow).' },
  client_id: text('The client.'),
  redirect_uri: { type: 'string', format: 'uri', description: 'Exactly one of the client\'s redirect URIs; may be omitted when it has only one (not in OpenID requests).' },
  scope: text('Space-separated scopes; `openid` makes it an OpenID Connect request.'),
  state: text('Echoed to the client.'),
  code_challenge: text('PKCE (RFC 7636): base64url SHA-256 of the code verifier.'),
  code_challenge_method: { type: 'string', enum: ['S256', 'plain'], description: '`S256` (`plain` only with `authorization.allowPlainPkce`).' },
  response_mode: { type: 'string', enum: ['query', 'form_post'], description: 'How the answer goes back: `query` (default) or `form_post`.' },
  nonce: text('OpenID Connect: echoed in the ID token.'),
  prompt: { type: 'string', description: 'Space-separated: `none`, `login`, `consent`.' },
  max_age: { type: 'integer', description: 'OpenID Connect: maximum seconds since the user logged in.' },
  login_hint: text('Prefills the username.'),
  id_token_hint: text('An ID token of this server naming the only user who may answer.'),
  ui_locales: text('Passed on to custom pages.'),
  claims_locales: text('Passed on to `claimsFor`.'),
  acr_values: text('Passed on to custom pages.'),
  claims: text('OpenID Connect Core section 5.5: a JSON object asking for single claims.'),
  resource: { type: 'array', items: { type: 'string', format: 'uri' }, description: 'Resource indicators (RFC 8707).' },
  dpop_jkt: text('With the `dpop` option: binds the code to the thumbprint of a DPoP key (RFC 9449 section 10).'),
};

/** Query parameters from schema properties (the description moves to the parameter). */
function query(properties: Record<string, SchemaObject>, required: string[] = []): ParameterDoc[] {
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({ in: 'query', name, required: required.includes(name), description: description ?? name, schema }));
}

const HTML: ResponseDoc = { status: 200, description: 'An HTML page (login, consent, a `form_post` page, or a confirmation).', mediaType: 'text/html', schema: { type: 'string' } };
const REDIRECT: ResponseDoc = { status: 303, description: 'A redirect (to the login page, or back to the client with the answer).', headers: { Location: { description: 'Where the browser goes.', schema: { type: 'string', format: 'uri' } } } };
const ERROR_PAGE: ResponseDoc = { status: 400, description: 'An HTML error page: nothing can be sent back to a client safely.', mediaType: 'text/html', schema: { type: 'string' } };

const AUTHORIZE_DESCRIPTION =
  'The authorization endpoint (RFC 6749 section 3.1, OpenID Connect Core section 3.1.2) a browser is sent to. A client and redirect URI that cannot be trusted get an HTML error page; every other error goes back to the client with `error`, `error_description`, `state` and `iss` (RFC 9207). With a pushed request (RFC 9126), only `client_id` and `request_uri`.';

/** `GET /oauth/authorize`. */
export const AUTHORIZE_GET_OPERATION: OperationDoc = {
  operationId: 'authorize',
  summary: 'Authorization endpoint (browser)',
  description: AUTHORIZE_DESCRIPTION,
  parameters: [...query(AUTHORIZATION_REQUEST_PROPERTIES, ['response_type', 'client_id']), { in: 'query', name: 'request_uri', description: 'The `request_uri` of a pushed authorization request.', schema: { type: 'string' } }],
  responses: [HTML, REDIRECT, ERROR_PAGE],
};

/** `POST /oauth/authorize`: the same request as a form. */
export const AUTHORIZE_POST_OPERATION: OperationDoc = {
  operationId: 'authorizeByPost',
  summary: 'Authorization endpoint, form post (browser)',
  description: AUTHORIZE_DESCRIPTION,
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    schema: { type: 'object', title: 'AuthorizationRequest', properties: { ...AUTHORIZATION_REQUEST_PROPERTIES, request_uri: text('The `request_uri` of a pushed authorization request.') } },
  },
  responses: [HTML, REDIRECT, ERROR_PAGE],
};

const END_SESSION_PROPERTIES: Record<string, SchemaObject> = {
  id_token_hint: text('An ID token of this server (expired is fine) for the session to end.'),
  client_id: text('One of the ID token\'s audiences.'),
  post_logout_redirect_uri: { type: 'string', format: 'uri', description: 'Exactly one of the client\'s post-logout redirect URIs.' },
  state: text('Echoed on the redirect.'),
};

const END_SESSION_DESCRIPTION =
  'RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), a page a browser is sent to: ends the session (after a confirmation when the request does not prove who asks), notifies clients with back-channel logout, then redirects to `post_logout_redirect_uri` with `state`, or shows a page.';

/** `GET /oauth/logout`. */
export const END_SESSION_GET_OPERATION: OperationDoc = {
  operationId: 'endSession',
  summary: 'End-session endpoint (browser)',
  description: END_SESSION_DESCRIPTION,
  parameters: query(END_SESSION_PROPERTIES),
  responses: [HTML, REDIRECT, ERROR_PAGE],
};

/** `POST /oauth/logout`. */
export const END_SESSION_POST_OPERATION: OperationDoc = {
  operationId: 'endSessionByPost',
  summary: 'End-session endpoint, form post (browser)',
  description: END_SESSION_DESCRIPTION,
  body: { mediaType: 'application/x-www-form-urlencoded', required: false, schema: { type: 'object', title: 'EndSessionRequest', properties: END_SESSION_PROPERTIES } },
  responses: [HTML, REDIRECT, ERROR_PAGE],
};

/** `GET /oauth/device`: the page where the user enters the code of a device (RFC 8628 section 3.3). */
export const DEVICE_VERIFICATION_OPERATION: OperationDoc = {
  operationId: 'deviceVerificationPage',
  summary: 'Device verification page (browser)',
  description: 'The `verification_uri` of the device flow (RFC 8628 section 3.3): the user enters the code shown on the device (prefilled from `verification_uri_complete`), logs in and consents. Its form posts back to this URL.',
  parameters: query({ user_code: text('Prefills the code (`verification_uri_complete`).') }),
  responses: [{ ...HTML, description: 'The HTML page.' }],
};
