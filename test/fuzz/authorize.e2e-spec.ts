import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { AUTHORIZATION_OPTIONAL, AUTHORIZATION_RARE, AUTHORIZE_CORE } from './authorization-params.js';
import { cookieHeader, cookieModes, SessionHolder, type CookieMode } from './browser-session.js';
import { methodOf } from './endpoint-requests.js';
import { checkFuzzRequest } from './fuzz-case.js';
import { bootFuzzApp, LOGOUT_REDIRECT, RP, type FuzzApp } from './fuzz-app.js';
import { assertFuzz, propertyTimeout } from './fuzz-config.js';
import { browserRefused } from './invariants.js';
import { contentTypeChoice, fuzzBody, fuzzHeaders, fuzzParams, mostly, type FuzzRequest, type Param, type ParamSpec } from './requests.js';
import { credential, jwtGarbage, nastyText } from './values.js';

const RUNS = 70;

/** A browser request: GET with the parameters in the query, or POST with them in a form (RFC 6749 section 3.1). */
function browserRequest(path: string, params: fc.Arbitrary<Param[]>, main: 'GET' | 'POST' = 'GET'): fc.Arbitrary<FuzzRequest> {
  return methodOf(main).chain((method) =>
    fc.record({
      method: fc.constant(method),
      path: fc.constant(path),
      query: method === 'GET' ? params : fc.constant<Param[]>([]),
      headers: fuzzHeaders(fc.constant(null)),
      body: method === 'GET' ? fc.constant({ kind: 'none' as const }) : fuzzBody(params),
      contentType: contentTypeChoice,
    }),
  );
}

/** A request and whether it comes from alice's signed-in browser. */
interface BrowserCase {
  spec: FuzzRequest;
  session: CookieMode;
}

const withSession = (requests: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<BrowserCase> =>
  fc.record({ spec: requests, session: fc.oneof({ arbitrary: fc.constant<CookieMode>('none'), weight: 2 }, { arbitrary: cookieModes, weight: 1 }) });

const AUTHORIZE_NAMES = [...AUTHORIZE_CORE, ...AUTHORIZATION_OPTIONAL, ...AUTHORIZATION_RARE].map(([name]) => name);
const authorizeParams = fuzzParams(AUTHORIZE_CORE, AUTHORIZATION_OPTIONAL, AUTHORIZE_NAMES, AUTHORIZATION_RARE);
const authorize = withSession(fc.oneof(browserRequest('/oauth/authorize', authorizeParams), browserRequest('/oauth/authorize', authorizeParams, 'POST')));

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 section 2). */
const LOGOUT_PARAMS: ParamSpec[] = [
  ['id_token_hint', mostly(fc.oneof(credential('id_token'), jwtGarbage))],
  ['post_logout_redirect_uri', mostly(fc.constantFrom(LOGOUT_REDIRECT, `${LOGOUT_REDIRECT}/x`, 'https://evil.test/bye', 'javascript:alert(1)'))],
  ['client_id', mostly(fc.constantFrom(RP.clientId, 'web1', 'unknown-client'))],
  ['state', nastyText],
  ['logout_hint', nastyText],
  ['ui_locales', nastyText],
];
const logoutParams = fuzzParams([], LOGOUT_PARAMS, LOGOUT_PARAMS.map(([name]) => name));
const confirmParams = fuzzParams([['ticket', mostly(jwtGarbage)], ['decision', mostly(fc.constantFrom('logout', 'stay', 'x'))]], [], ['ticket', 'decision', 'csrf']);
const logout = withSession(fc.oneof(browserRequest('/oauth/logout', logoutParams), browserRequest('/oauth/logout', logoutParams, 'POST'), browserRequest('/oauth/logout/confirm', confirmParams, 'POST')));

/**
 * The browser-facing endpoints that start and end a session under fuzzing (security checklist 97-100): the
 * authorization endpoint by GET and POST (every parameter of OAuth 2.1, OpenID Connect, PKCE, PAR, RFC 8707 and RFC
 * 9449) and RP-initiated logout with its confirmation, with and without alice's session cookie. Never 5xx or leaked
 * internals; an HTML page or a redirect to the issuer's own pages or a registered URI; a refusal changes nothing.
 */
describe.each(testMatrix())('fuzzing authorization and logout on %s/%s', (platform, db) => {
  let f: FuzzApp;
  let alice: SessionHolder;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
    alice = new SessionHolder(f.t);
  });
  afterAll(() => f?.t.close());

  const run = async ({ spec, session }: BrowserCase, methods: readonly string[], afterwards: (refused: boolean) => void = () => undefined) => {
    const extraHeaders = session === 'none' ? {} : cookieHeader(await alice.session(), spec.path, session);
    const { response } = await checkFuzzRequest(f, spec, { kind: 'browser', methods, extraHeaders });
    afterwards(browserRefused(response));
  };

  it(
    'the authorization endpoint: a page or an allowed redirect, and refusals change nothing',
    async () => {
      await assertFuzz(authorize, (value) => run(value, ['GET', 'POST']), RUNS);
    },
    propertyTimeout(RUNS),
  );

  it(
    'RP-initiated logout and its confirmation: a page or an allowed redirect, and refusals change nothing',
    async () => {
      await assertFuzz(
        logout,
        // A logout that went through ended alice's session: the next request that wants it signs her in again.
        (value) => run(value, value.spec.path === '/oauth/logout' ? ['GET', 'POST'] : ['POST'], (refused) => !refused && value.session !== 'none' && alice.forget()),
        RUNS,
      );
    },
    propertyTimeout(RUNS),
  );
});
