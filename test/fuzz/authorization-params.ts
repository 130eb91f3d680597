import fc from 'fast-check';
import { REDIRECT } from '../grants/grant-helpers.js';
import { RP } from './fuzz-app.js';
import { mostly, type ParamSpec } from './requests.js';
import { credential, jwtGarbage, nastyText } from './values.js';

/** A fixed S256 challenge (of a verifier nobody needs: the fuzz never redeems these codes). */
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * The parameters of an authorization request (RFC 6749 section 4.1.1, RFC 7636, OpenID Connect Core section 3.1.2.1,
 * RFC 9101, RFC 9126, RFC 8707, RFC 9449 section 10): the core of a valid code request of `RP`, and every optional one
 * with right, wrong and hostile values.
 */
export const AUTHORIZATION_CORE: ParamSpec[] = [
  ['response_type', mostly(fc.oneof({ arbitrary: fc.constant('code'), weight: 6 }, { arbitrary: fc.constantFrom('code id_token', 'token', 'none', 'CODE'), weight: 1 }))],
  ['redirect_uri', mostly(fc.oneof({ arbitrary: fc.constant(REDIRECT), weight: 6 }, { arbitrary: fc.constantFrom(`${REDIRECT}/x`, 'https://client.test/other', 'https://evil.test/cb', 'http://client.test/cb'), weight: 1 }))],
  ['code_challenge', mostly(fc.constantFrom(CHALLENGE, CHALLENGE.slice(1), 'short', `${CHALLENGE}=`))],
  ['code_challenge_method', mostly(fc.constantFrom('S256', 'S256', 'plain', 's256', ''))],
];

export const AUTHORIZATION_OPTIONAL: ParamSpec[] = [
  ['scope', mostly(fc.constantFrom('openid a', 'a', 'openid profile email', 'openid offline_access', 'nope', 'openid openid'))],
  ['state', mostly(fc.constantFrom('st-1', '', '<script>'))],
  ['nonce', mostly(fc.constantFrom('n-1', 'n-2'))],
  ['prompt', mostly(fc.constantFrom('login', 'consent', 'none', 'select_account', 'login consent', 'none login', 'create'))],
  ['max_age', mostly(fc.constantFrom('0', '60', '-1', '1.5', '9999999999999999999'))],
  ['response_mode', mostly(fc.constantFrom('query', 'fragment', 'form_post', 'jwt', 'web_message'))],
  ['claims', mostly(fc.constantFrom('{"userinfo":{"email":null}}', '{"id_token":{"acr":{"essential":true,"values":["x"]}}}', '{', '[]', 'null', '{"userinfo":7}'))],
  ['resource', mostly(fc.constantFrom('https://api.test', 'http://127.0.0.1', 'https://api.test#frag', 'relative'))],
];

/** Parameters a request carries now and then (at most one of them in a near-miss request): features and garbage. */
export const AUTHORIZATION_RARE: ParamSpec[] = [
  ['acr_values', nastyText],
  ['ui_locales', nastyText],
  ['login_hint', nastyText],
  ['id_token_hint', mostly(fc.oneof(credential('id_token'), jwtGarbage))],
  ['request', jwtGarbage],
  ['request_uri', mostly(fc.oneof(credential('request_uri'), fc.constantFrom('urn:ietf:params:oauth:request_uri:abc', 'https://evil.test/req')))],
  ['dpop_jkt', mostly(fc.constantFrom('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I', 'x'))],
  ['authorization_details', mostly(fc.constantFrom('[{"type":"x"}]', '{', '[]'))],
  ['registration', nastyText],
];

/** The same for the authorization endpoint, where the client names itself. */
export const AUTHORIZE_CORE: ParamSpec[] = [
  ['client_id', mostly(fc.oneof({ arbitrary: fc.constant(RP.clientId), weight: 8 }, { arbitrary: fc.constantFrom('spa', 'web1', 'unknown-client'), weight: 1 }))],
  ...AUTHORIZATION_CORE,
];
