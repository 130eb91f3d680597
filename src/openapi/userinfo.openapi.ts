import type { SchemaObject, SecurityRequirementObject } from '@nestjs/swagger';
import { AUTHNEST_SECURITY } from './authnest-openapi.js';
import { InsufficientScopeError, InvalidTokenError, MalformedBearerRequestError, MissingTokenError } from '../errors/bearer-errors.js';
import { EXAMPLE_ISSUER, errorResponses, fromError, NO_STORE_HEADERS, STORAGE_UNAVAILABLE, type ErrorExample } from './openapi-errors.js';
import type { OperationDoc, ResponseDoc } from './openapi-operation.js';

/** RFC 6750 errors of the UserInfo endpoint, each with its `WWW-Authenticate: Bearer` challenge (realm: the issuer). */
const USERINFO_ERRORS: ErrorExample[] = [
  fromError(new MalformedBearerRequestError(EXAMPLE_ISSUER, 'Send the access token once'), 'The token both in the header and in the body (RFC 6750 section 2)'),
  fromError(new MissingTokenError(EXAMPLE_ISSUER), 'No access token: a bare challenge, no error code (RFC 6750 section 3.1)'),
  fromError(new InvalidTokenError(EXAMPLE_ISSUER), 'Expired, revoked, unknown or forged; or the account or client is gone or disabled'),
  fromError(new InsufficientScopeError(EXAMPLE_ISSUER, 'openid'), 'The token does not carry `openid`'),
  STORAGE_UNAVAILABLE,
];

const USERINFO_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'UserInfo',
  required: ['sub'],
  additionalProperties: true,
  description: '`sub` (public or pairwise, as in the ID token) and exactly the claims the token\'s scopes and `claims` request release (OpenID Connect Core section 5.4, 5.5).',
  properties: { sub: { type: 'string' } },
};

const USERINFO_OK: ResponseDoc = {
  status: 200,
  description: 'The user\'s claims (OpenID Connect Core section 5.3.2).',
  schema: USERINFO_SCHEMA,
  headers: NO_STORE_HEADERS,
  examples: {
    profile_email: {
      summary: 'A token with `openid profile email`',
      value: { sub: 'user-alice', name: 'Alice Example', preferred_username: 'alice', email: 'alice@example.com', email_verified: true },
    },
  },
};

const DESCRIPTION = [
  'The UserInfo endpoint (OpenID Connect Core section 5.3). The access token must be one this server issued, unexpired and unrevoked (checked in the database, JWTs too), of an active account and an enabled client, and carry `openid`.',
  '',
  'A DPoP-bound token is accepted only as `Authorization: DPoP <token>` with a proof of its key for this URL (RFC 9449 section 7); with the `dpop` option every challenge also offers `DPoP algs="..."`.',
];

const SECURITY: SecurityRequirementObject[] = [{ [AUTHNEST_SECURITY.accessToken]: [] }, { [AUTHNEST_SECURITY.accessToken]: [], [AUTHNEST_SECURITY.dpopProof]: [] }];

/** `GET /oauth/userinfo`. */
export const USERINFO_GET_OPERATION: OperationDoc = {
  operationId: 'getUserInfo',
  summary: 'UserInfo: the claims of the user an access token is for',
  description: [...DESCRIPTION, '', 'The token goes in the Authorization header (never in the query).'].join('\n'),
  security: SECURITY,
  responses: [USERINFO_OK, ...errorResponses(USERINFO_ERRORS)],
};

/** `POST /oauth/userinfo`: the token in the header or as the `access_token` form parameter (RFC 6750 section 2.2). */
export const USERINFO_POST_OPERATION: OperationDoc = {
  operationId: 'postUserInfo',
  summary: 'UserInfo by POST (the token in the header or the form body)',
  description: [...DESCRIPTION, '', 'The token goes in the Authorization header, or as the `access_token` form parameter (RFC 6750 section 2.2), never both.'].join('\n'),
  body: {
    mediaType: 'application/x-www-form-urlencoded',
    required: false,
    schema: {
      type: 'object',
      title: 'UserInfoRequest',
      properties: { access_token: { type: 'string', description: 'The access token, when it is not in the Authorization header (bearer tokens only).' } },
    },
  },
  security: [...SECURITY, {}],
  responses: [USERINFO_OK, ...errorResponses(USERINFO_ERRORS)],
};
