import fc from 'fast-check';
import { DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT, TOKEN_TYPES } from '../../src/index.js';
import { INTROSPECTOR, REDIRECT } from '../grants/grant-helpers.js';
import { AUTHORIZATION_CORE, AUTHORIZATION_OPTIONAL, AUTHORIZATION_RARE } from './authorization-params.js';
import { clientAuthOf, formRequest } from './endpoint-requests.js';
import { RP, TV } from './fuzz-app.js';
import { mostly, type FuzzRequest, type ParamSpec } from './requests.js';
import { credential, jwtGarbage, nastyText } from './values.js';

/**
 * Requests of the back-channel endpoints: the token endpoint (every grant), revocation, introspection, device
 * authorization and PAR, each with its client authenticated in any way (see `clientAuthOf`).
 */

const TOKEN_TYPE = fc.constantFrom(...Object.values(TOKEN_TYPES), 'urn:ietf:params:oauth:token-type:saml2', 'access_token');
const SCOPE = mostly(fc.constantFrom('a', 'openid a', 'a b', 'c', 'openid offline_access', 'a a'));
const RESOURCE = mostly(fc.constantFrom('https://api.test', 'http://127.0.0.1', 'https://api.test#frag', 'relative/path'));

/** Every grant's well-formed request (core parameters) and what it may carry besides (optional ones). */
const GRANTS: { core: ParamSpec[]; optional: ParamSpec[] }[] = [
  {
    core: [
      ['grant_type', mostly(fc.constant('authorization_code'))],
      ['code', mostly(credential('code'))],
      ['redirect_uri', mostly(fc.constantFrom(REDIRECT, `${REDIRECT}/`, 'https://client.test/other'))],
      ['code_verifier', mostly(credential('code_verifier'))],
    ],
    optional: [['resource', RESOURCE]],
  },
  { core: [['grant_type', mostly(fc.constant('refresh_token'))], ['refresh_token', mostly(credential('refresh_token'))]], optional: [['scope', SCOPE], ['resource', RESOURCE]] },
  { core: [['grant_type', mostly(fc.constant('client_credentials'))]], optional: [['scope', SCOPE], ['resource', RESOURCE], ['audience', nastyText]] },
  { core: [['grant_type', mostly(fc.constant(DEVICE_CODE_GRANT_TYPE))], ['device_code', mostly(credential('device_code'))]], optional: [] },
  { core: [['grant_type', mostly(fc.constant(JWT_BEARER_GRANT))], ['assertion', jwtGarbage]], optional: [['scope', SCOPE]] },
  {
    core: [
      ['grant_type', mostly(fc.constant(TOKEN_EXCHANGE_GRANT))],
      ['subject_token', mostly(fc.constantFrom('access_token', 'user_access_token', 'opaque_token', 'id_token', 'refresh_token').chain((ref) => credential(ref)))],
      ['subject_token_type', mostly(TOKEN_TYPE)],
    ],
    optional: [
      ['actor_token', mostly(fc.constantFrom('access_token', 'opaque_token').chain((ref) => credential(ref)))],
      ['actor_token_type', mostly(TOKEN_TYPE)],
      ['requested_token_type', mostly(TOKEN_TYPE)],
      ['audience', nastyText],
      ['scope', SCOPE],
      ['resource', RESOURCE],
    ],
  },
  { core: [['grant_type', mostly(fc.constantFrom('password', 'implicit', 'urn:x', 'client_credentials '))]], optional: [['username', nastyText], ['password', nastyText]] },
];

/** A token request of any grant, its client authenticated in any way. */
export const tokenRequest = fc.constantFrom(...GRANTS).chain(({ core, optional }) => formRequest('/oauth/token', core, optional, clientAuthOf()));

const TOKEN: ParamSpec = ['token', mostly(fc.constantFrom('access_token', 'user_access_token', 'opaque_token', 'refresh_token', 'id_token').chain((ref) => credential(ref)))];
const HINT: ParamSpec = ['token_type_hint', mostly(fc.constantFrom('access_token', 'refresh_token', 'id_token', 'urn:ietf:params:oauth:token-type:jwt', ''))];

/** One back-channel endpoint under fuzzing: its path, routed methods and requests. */
export interface Target {
  name: string;
  path: string;
  methods: readonly string[];
  requests: fc.Arbitrary<FuzzRequest>;
  /** Whether the fast path answers it (token, introspection, revocation): fuzzed with and without it. */
  fastPath: boolean;
}

export const TARGETS: Target[] = [
  { name: 'token (RFC 6749 section 3.2, every grant)', path: '/oauth/token', methods: ['POST', 'GET'], fastPath: true, requests: tokenRequest },
  { name: 'revocation (RFC 7009)', path: '/oauth/revoke', methods: ['POST', 'GET'], fastPath: true, requests: formRequest('/oauth/revoke', [TOKEN], [HINT], clientAuthOf()) },
  {
    name: 'introspection (RFC 7662)',
    path: '/oauth/introspect',
    methods: ['POST', 'GET'],
    fastPath: true,
    requests: fc.oneof(formRequest('/oauth/introspect', [TOKEN], [HINT], clientAuthOf()), formRequest('/oauth/introspect', [TOKEN], [HINT], clientAuthOf({ clientId: INTROSPECTOR.id, clientSecret: INTROSPECTOR.secret }))),
  },
  {
    name: 'device authorization (RFC 8628)',
    path: '/oauth/device_authorization',
    methods: ['POST', 'GET'],
    fastPath: false,
    requests: formRequest('/oauth/device_authorization', [], [['scope', mostly(fc.constantFrom('a', 'openid a', 'b', 'nope'))], ['resource', nastyText], ['client_id', mostly(fc.constant(TV.clientId))]], clientAuthOf()),
  },
  {
    name: 'pushed authorization (RFC 9126)',
    path: '/oauth/par',
    methods: ['POST', 'GET'],
    fastPath: false,
    requests: formRequest('/oauth/par', AUTHORIZATION_CORE, AUTHORIZATION_OPTIONAL, clientAuthOf(RP), AUTHORIZATION_RARE),
  },
];

