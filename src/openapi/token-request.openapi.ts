import type { ExampleObject, SchemaObject } from '@nestjs/swagger';
import { JWT_ASSERTION_TYPE } from '../server/rfc7523/assertion-checks.js';
import { JWT_BEARER_GRANT } from '../server/rfc7523/jwt-bearer.grant.js';
import { DEVICE_CODE_GRANT_TYPE } from '../server/rfc8628/device-codes.service.js';
import { TOKEN_EXCHANGE_GRANT, TOKEN_TYPES } from '../server/rfc8693/token-types.js';

const text = (description: string, example?: string): SchemaObject => ({ type: 'string', description, ...(example !== undefined ? { example } : {}) });

/**
 * Client authentication parameters in the body (RFC 6749 section 2.3.1 `client_secret_post`, RFC 7523 section 2.2
 * assertions, public clients' `client_id`), shared by every endpoint that authenticates clients like the token endpoint.
 */
export const CLIENT_AUTHENTICATION_PROPERTIES: Record<string, SchemaObject> = {
  client_id: text('The client: public clients and `client_secret_post` send it; with HTTP Basic or an assertion it may be sent and must name the same client.'),
  client_secret: text('`client_secret_post` only: the secret in the body. Never together with HTTP Basic or an assertion.'),
  client_assertion_type: { type: 'string', enum: [JWT_ASSERTION_TYPE], description: '`client_secret_jwt` / `private_key_jwt` (RFC 7523 section 2.2).' },
  client_assertion: text('The client assertion: a JWT whose `iss` and `sub` are the client id and whose `aud` is this server.'),
};

/** RFC 8707 resource indicators: absolute URIs; repeat the parameter for several. */
export const RESOURCE_PROPERTY: SchemaObject = {
  type: 'array',
  items: { type: 'string', format: 'uri' },
  description: 'Resource indicators (RFC 8707 section 2): absolute URIs of configured resources, the parameter repeated for several (a token request names at most one).',
};

/** The grant types authnest implements; hosts may add their own (`@OAuthGrant()`). */
export const BUILTIN_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT];

const exchangeTokenType = { type: 'string', enum: [TOKEN_TYPES.accessToken, TOKEN_TYPES.jwt] };

/**
 * The token request form (RFC 6749 section 3.2): every parameter of every built-in grant. Each grant reads only its
 * own parameters (others are dropped); a repeated parameter (except `resource`) or a structured one is
 * `invalid_request`; empty values count as absent.
 */
export const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'TokenRequest',
  required: ['grant_type'],
  properties: {
    grant_type: {
      type: 'string',
      enum: BUILTIN_GRANT_TYPES,
      description: 'The grant. A grant the host added with `@OAuthGrant()` is accepted too; the metadata document lists the ones the server offers (`grant_types_supported`).',
    },
    ...CLIENT_AUTHENTICATION_PROPERTIES,
    code: text('`authorization_code`: the code from the authorization response.'),
    redirect_uri: { type: 'string', format: 'uri', description: '`authorization_code`: required when the authorization request had it, byte for byte the same.' },
    code_verifier: text('`authorization_code`: the PKCE verifier (RFC 7636 section 4.5), 43 to 128 characters.'),
    refresh_token: text('`refresh_token`: the refresh token; it rotates (the response carries the next one).'),
    scope: text('`client_credentials`, `refresh_token` (narrowing only), JWT bearer, token exchange: space-separated scopes.', 'posts:read'),
    resource: RESOURCE_PROPERTY,
    device_code: text(`\`${DEVICE_CODE_GRANT_TYPE}\`: the device code from the device authorization response (RFC 8628 section 3.4).`),
    assertion: text(`\`${JWT_BEARER_GRANT}\`: a JWT of a trusted issuer whose \`sub\` is the user (RFC 7523 section 2.1).`),
    subject_token: text('Token exchange (RFC 8693 section 2.1): an access token this server issued, for the subject.'),
    subject_token_type: { ...exchangeTokenType, description: 'Token exchange: the type of `subject_token`.' },
    actor_token: text('Token exchange: an access token of the acting party (delegation).'),
    actor_token_type: { ...exchangeTokenType, description: 'Token exchange: the type of `actor_token`; required with it.' },
    requested_token_type: { type: 'string', enum: [TOKEN_TYPES.accessToken], description: 'Token exchange: only access tokens are issued.' },
    audience: text('Token exchange: the logical name of the target service, as the host\'s `TokenExchangePolicy` knows it.'),
  },
};

const example = (summary: string, value: Record<string, string>): ExampleObject => ({ summary, value });

/** One request example per built-in grant type. */
export const TOKEN_REQUEST_EXAMPLES: Record<string, ExampleObject> = {
  client_credentials: example('client_credentials (RFC 6749 section 4.4), with HTTP Basic', { grant_type: 'client_credentials', scope: 'posts:read' }),
  authorization_code: example('authorization_code with PKCE (RFC 6749 section 4.1.3, RFC 7636), a public client', {
    grant_type: 'authorization_code',
    client_id: 'demo-spa',
    code: 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jx',
    redirect_uri: 'https://client.example.com/callback',
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  }),
  refresh_token: example('refresh_token (RFC 6749 section 6), narrowing the scope', { grant_type: 'refresh_token', refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA9fCmVu8uJ0ZqkHEoQ8pLs', scope: 'profile' }),
  device_code: example('Device code polling (RFC 8628 section 3.4), a public device client', {
    grant_type: DEVICE_CODE_GRANT_TYPE,
    client_id: 'demo-device',
    device_code: 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eSXq',
  }),
  jwt_bearer: example('JWT bearer grant (RFC 7523 section 2.1)', { grant_type: JWT_BEARER_GRANT, assertion: 'eyJhbGciOiJFUzI1NiIsImtpZCI6Imlzc3Vlci1rZXkifQ.eyJpc3MiOi4uLn0.c2lnbmF0dXJl', scope: 'posts:read' }),
  token_exchange: example('Token exchange (RFC 8693 section 2.1), impersonation', {
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: 'AZPQx0Mj2aWnb1rtTnDz7AS4xKXrWQJvIgvVfsS6bHHcbLxq0CYaGRsOjuHnc5-9o',
    subject_token_type: TOKEN_TYPES.accessToken,
    audience: 'orders-api',
    scope: 'posts:read',
  }),
};
