import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { EXPECTED_CHANGES } from './db-snapshot.js';
import { bearerAuthorization, methodOf } from './endpoint-requests.js';
import { checkFuzzRequest } from './fuzz-case.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { assertFuzz, propertyTimeout } from './fuzz-config.js';
import { contentTypeChoice, fuzzBody, fuzzHeaders, fuzzParams, REGISTERED_CLIENT, type Body, type FuzzRequest } from './requests.js';
import { jwtGarbage, longText, nastyText, oddAuthorization, type FuzzValue } from './values.js';

const RUNS = 80;
const URI = fc.constantFrom('https://registered.test/cb', 'https://app.test/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'javascript:alert(1)', 'https://app.test/cb#frag', 'https://*.test/cb', 'data:text/html,x', 'custom.scheme:/cb', 'https://169.254.169.254/latest', '');
const hostile: fc.Arbitrary<unknown> = fc.oneof(nastyText, longText, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, 0, -1, 1e308, true, [], {}, [[]], { __proto__: { polluted: 1 } }));
const sometimes = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: hostile, weight: 1 });

/** RFC 7591 section 2 (and RFC 7592, OpenID Connect Registration, RFC 9126, RFC 9449) metadata, right, wrong or hostile. */
const METADATA: Record<string, fc.Arbitrary<unknown>> = {
  redirect_uris: sometimes(fc.array(URI, { maxLength: 3 })),
  client_name: sometimes(fc.oneof(nastyText, fc.constant('Fuzzed App'))),
  token_endpoint_auth_method: sometimes(fc.constantFrom('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'client_secret_jwt', 'none', 'tls_client_auth')),
  grant_types: sometimes(fc.subarray(['authorization_code', 'refresh_token', 'client_credentials', 'implicit', 'password', 'urn:ietf:params:oauth:grant-type:device_code'])),
  response_types: sometimes(fc.subarray(['code', 'token', 'id_token', 'code id_token'])),
  scope: sometimes(fc.constantFrom('openid a', 'a', 'admin', 'openid openid', '')),
  jwks_uri: sometimes(fc.constantFrom('https://keys.test/jwks', 'http://127.0.0.1:1/jwks', 'https://169.254.169.254/', 'file:///etc/passwd')),
  jwks: sometimes(fc.constantFrom({ keys: [] }, { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] }, { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, { keys: 'x' })),
  post_logout_redirect_uris: sometimes(fc.array(URI, { maxLength: 2 })),
  backchannel_logout_uri: sometimes(URI),
  logo_uri: sometimes(URI),
  client_uri: sometimes(URI),
  contacts: sometimes(fc.array(fc.constantFrom('admin@app.test', 'not-an-email', ''), { maxLength: 3 })),
  software_statement: sometimes(jwtGarbage),
  subject_type: sometimes(fc.constantFrom('public', 'pairwise', 'x')),
  sector_identifier_uri: sometimes(URI),
  token_endpoint_auth_signing_alg: sometimes(fc.constantFrom('ES256', 'HS256', 'none')),
  dpop_bound_access_tokens: sometimes(fc.boolean()),
  require_pushed_authorization_requests: sometimes(fc.boolean()),
  client_id: sometimes(fc.constantFrom(REGISTERED_CLIENT, 'fuzz-rp', 'web1')),
  client_secret: sometimes(fc.constantFrom('chosen-secret')),
  client_id_issued_at: hostile,
  __proto__: hostile,
};

/** A metadata document (mostly an object of known fields; sometimes another JSON value), or any other body. */
const metadataBody: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: fc.record(METADATA, { requiredKeys: [] }).map((value): Body => ({ kind: 'document', value })), weight: 8 },
  { arbitrary: hostile.map((value): Body => ({ kind: 'document', value })), weight: 1 },
  { arbitrary: fuzzBody(fuzzParams([], [['redirect_uris', fc.constant('https://registered.test/cb')]], ['redirect_uris', 'client_name'])), weight: 1 },
);

/** A registration access token (RFC 7592 section 3): the client's own, spoiled, another credential, or a malformed header. */
const managementAuthorization = fc.oneof(
  { arbitrary: bearerAuthorization(['registration_token']), weight: 4 },
  { arbitrary: bearerAuthorization(['access_token', 'user_access_token']), weight: 1 },
  { arbitrary: oddAuthorization.map((value): FuzzValue[] => [value]), weight: 1 },
);

const CLIENT_PATHS = fc.oneof(
  { arbitrary: fc.constant(`/oauth/register/${REGISTERED_CLIENT}`), weight: 6 },
  { arbitrary: fc.constantFrom('/oauth/register/fuzz-rp', '/oauth/register/web1', '/oauth/register/%zz', '/oauth/register/%C3%28', '/oauth/register/..%2F..%2Fetc', '/oauth/register/x/y', '/oauth/register/'), weight: 1 },
  { arbitrary: nastyText.map((text) => `/oauth/register/${encodeURIComponent(Buffer.from(text).toString('utf8'))}`), weight: 1 },
);

const registration: fc.Arbitrary<FuzzRequest> = fc.record({
  method: methodOf('POST'),
  path: fc.constant('/oauth/register'),
  query: fc.constant([]),
  headers: fuzzHeaders(fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: bearerAuthorization(['access_token']), weight: 1 })),
  body: metadataBody,
  contentType: contentTypeChoice,
});

const management: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'PUT', 'PUT', 'DELETE', 'POST', 'PATCH'),
  path: CLIENT_PATHS,
  query: fc.constant([]),
  headers: fuzzHeaders(managementAuthorization),
  body: metadataBody,
  contentType: contentTypeChoice,
});

/**
 * Dynamic client registration (RFC 7591) and client management (RFC 7592) under fuzzing: hostile metadata documents,
 * bodies of every kind, spoiled registration access tokens and odd client paths. Never 5xx or leaked internals, RFC
 * 7591 section 3.2.2 errors with no-store, and a refusal changes nothing but the per-address request counter.
 */
describe.each(testMatrix())('fuzzing client registration on %s/%s', (platform, db) => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
  });
  afterAll(() => f?.t.close());

  const allowed = [EXPECTED_CHANGES.rateLimits];
  /**
   * Whether the router reaches the client configuration endpoint: one path segment that decodes. Other paths are the
   * host app's (the router's 404; Fastify's own 400 `FST_ERR_BAD_URL` for a malformed escape), held to no 5xx, no
   * leak and no change only, as every unrouted request.
   */
  const routed = (path: string) => {
    try {
      return /^\/oauth\/register\/[^/]+$/.test(path) && decodeURIComponent(path) !== undefined;
    } catch {
      return false;
    }
  };
  const OWN_PATH = `/oauth/register/${REGISTERED_CLIENT}`;
  /** Whether the request carries the registered client's own token unspoiled to a URL that is not its own. */
  const tokenElsewhere = (spec: FuzzRequest) =>
    spec.path !== OWN_PATH && spec.headers.some(([name, parts]) => name === 'authorization' && parts.some((part) => typeof part !== 'string' && part.ref === 'registration_token' && part.tweak === 'exact'));

  it(
    'POST /oauth/register: a registration or an RFC error, and refusals change nothing',
    async () => {
      await assertFuzz(registration, async (spec) => void (await checkFuzzRequest(f, spec, { kind: 'protocol', methods: ['POST', 'GET'], allowed })), RUNS);
    },
    propertyTimeout(RUNS),
  );

  it(
    'GET, PUT and DELETE /oauth/register/:id: an answer or an RFC error, and refusals change nothing',
    async () => {
      await assertFuzz(
        management,
        async (spec) => {
          const methods = routed(spec.path) ? ['GET', 'PUT', 'DELETE'] : [];
          await checkFuzzRequest(f, spec, { kind: 'protocol', methods, allowed: tokenElsewhere(spec) ? [...allowed, EXPECTED_CHANGES.registeredClients] : allowed });
        },
        RUNS,
      );
    },
    propertyTimeout(RUNS),
  );
});
