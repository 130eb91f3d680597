import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { bearerAuthorization, methodOf } from './endpoint-requests.js';
import { checkFuzzRequest } from './fuzz-case.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { assertFuzz, propertyTimeout } from './fuzz-config.js';
import { contentTypeChoice, fuzzBody, fuzzHeaders, fuzzParams, mostly, type FuzzRequest, type Param, type ParamSpec } from './requests.js';
import { credential, oddAuthorization, type CredentialRef, type FuzzValue } from './values.js';

const RUNS = 80;
/** Every credential the app has: access tokens are the right kind, the others must be refused as bearer tokens. */
const TOKENS: CredentialRef[] = ['access_token', 'user_access_token', 'opaque_token', 'user_access_token', 'refresh_token', 'id_token', 'registration_token'];
/** RFC 6750 section 2.2 and 2.3: a token in the form body or the query (authnest reads the header only). */
const TOKEN_PARAM: ParamSpec = ['access_token', mostly(fc.constantFrom(...TOKENS).chain((ref) => credential(ref)))];
const noParams = fc.constant<Param[]>([]);
const someParams = fc.oneof({ arbitrary: noParams, weight: 3 }, { arbitrary: fuzzParams([], [TOKEN_PARAM, ['schema', mostly(fc.constant('openid'))]], ['access_token', 'claims']), weight: 1 });

/** A request to a bearer-protected path: the token mostly in the Authorization header, now and then in the body. */
function bearerRequest(path: fc.Arbitrary<string>, method: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method,
    path,
    query: someParams,
    headers: fuzzHeaders(bearerAuthorization(TOKENS)),
    body: fc.oneof({ arbitrary: fc.constant({ kind: 'none' as const }), weight: 3 }, { arbitrary: fuzzBody(someParams), weight: 1 }),
    contentType: contentTypeChoice,
  });
}

const PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration', '/oauth/jwks'];

/** A GET (now and then another method) of a discovery document with a random query, headers and body. */
const discovery: fc.Arbitrary<FuzzRequest> = fc.record({
  method: methodOf('GET'),
  path: fc.constantFrom(...PATHS),
  query: fuzzParams([], [], ['format', 'kid', 'alg', 'use', 'issuer']),
  headers: fuzzHeaders(fc.option(oddAuthorization.map((value): FuzzValue[] => [value]), { freq: 3 })),
  body: fc.oneof({ arbitrary: fc.constant({ kind: 'none' as const }), weight: 4 }, { arbitrary: fuzzBody(fuzzParams([], [], ['x'])), weight: 1 }),
  contentType: contentTypeChoice,
});

/**
 * The read-only endpoints under fuzzing (security checklist 97-100): UserInfo by GET and POST (OpenID Connect
 * Core section 5.3) and a guarded route of the host app (`@RequireScope`), with every token the app issued (right
 * kind or not, spoiled or not), JWT-shaped garbage, odd schemes and DPoP garbage; and the discovery documents (RFC
 * 8414, OpenID Connect Discovery, RFC 7517). Never 5xx or leaked internals; a 400, 401 or 403 carries an RFC 6750
 * challenge; the documents answer any GET; nothing ever changes in the database.
 */
describe.each(testMatrix())('fuzzing the read-only endpoints on %s/%s', (platform, db) => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
  });
  afterAll(() => f?.t.close());

  it(
    'UserInfo (GET and POST): claims or an RFC 6750 error, and nothing changes',
    async () => {
      const requests = bearerRequest(fc.constant('/oauth/userinfo'), fc.oneof(methodOf('GET'), methodOf('POST')));
      await assertFuzz(requests, async (spec) => void (await checkFuzzRequest(f, spec, { kind: 'userinfo', methods: ['GET', 'POST'], readOnly: true })), RUNS);
    },
    propertyTimeout(RUNS),
  );

  it(
    'a @RequireScope route of the host app: its answer or an RFC 6750 challenge, and nothing changes',
    async () => {
      const requests = bearerRequest(fc.constantFrom('/api/a', '/api/b', '/api/any'), methodOf('GET'));
      await assertFuzz(requests, async (spec) => void (await checkFuzzRequest(f, spec, { kind: 'bearer', methods: ['GET'], readOnly: true })), RUNS);
    },
    propertyTimeout(RUNS),
  );

  it(
    'metadata and JWKS: the document to any GET, never 5xx, and nothing changes',
    async () => {
      await assertFuzz(
        discovery,
        async (spec) => {
          const { response, summary } = await checkFuzzRequest(f, spec, { kind: 'discovery', methods: ['GET'], readOnly: true });
          if (spec.method !== 'GET' || response.status === 431) return;
          expect(response.status, summary).toBe(200);
          expect(response.headers.get('content-type'), summary).toMatch(/^application\/(?:json|jwk-set\+json)\b/);
          expect(Object.keys(response.body).length, summary).toBeGreaterThan(0);
        },
        RUNS,
      );
    },
    propertyTimeout(RUNS),
  );
});
