import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { cookieHeader, cookieModes, consentForm, deviceForm, loginForm, type CookieMode, type OpenForm } from './browser-session.js';
import { EXPECTED_CHANGES } from './db-snapshot.js';
import { methodOf } from './endpoint-requests.js';
import { checkFuzzRequest } from './fuzz-case.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { assertFuzz, propertyTimeout } from './fuzz-config.js';
import { contentTypeChoice, fuzzBody, fuzzHeaders, fuzzParams, mostly, type FuzzRequest, type Param, type ParamSpec } from './requests.js';
import { credential, nastyText } from './values.js';

const RUNS = 60;

/** The form's own CSRF token (placeholder `{csrf}`), spoiled, or another value. */
const CSRF: ParamSpec = ['csrf', mostly(fc.oneof({ arbitrary: fc.constant('{csrf}'), weight: 6 }, { arbitrary: fc.constantFrom('{csrf}x', 'x{csrf}', '{csrf}{csrf}', ''), weight: 1 }))];

/** A path and the methods it is routed for (none: the host app's 404, or Fastify's own 400 for a malformed escape). */
type RoutedPath = [path: string, methods: readonly string[]];

/** Where the form is posted: its own action (placeholder `{action}`), or another interaction's, step or garbage. */
function formPath(own: RoutedPath, others: RoutedPath[]): fc.Arbitrary<RoutedPath> {
  return fc.oneof({ arbitrary: fc.constant(own), weight: 8 }, { arbitrary: fc.constantFrom(...others), weight: 1 });
}

const INTERACTION_PATHS: RoutedPath[] = [
  ['/oauth/interaction/{interaction}x/login', ['POST']],
  ['/oauth/interaction/unknown/consent', ['POST']],
  ['/oauth/interaction/{interaction}/consent', ['POST']],
  ['/oauth/interaction/{interaction}/login', ['POST']],
  ['/oauth/interaction/%zz/login', []],
  ['/oauth/interaction/{interaction}', ['GET']],
];

/** A POST of a page's form (sometimes another method), its fields fuzzed. */
function formPost(target: fc.Arbitrary<RoutedPath>, core: ParamSpec[], optional: ParamSpec[]): fc.Arbitrary<FormCase> {
  const names = [...core, ...optional].map(([name]) => name);
  const params: fc.Arbitrary<Param[]> = fuzzParams(core, optional, names);
  return target.chain(([path, routed]) => fc.record({ spec: formSpec(path, params), cookies: cookieModes, routed: fc.constant(routed) }));
}

function formSpec(path: string, params: fc.Arbitrary<Param[]>): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: methodOf('POST'),
    path: fc.constant(path),
    query: fc.oneof({ arbitrary: fc.constant<Param[]>([]), weight: 6 }, { arbitrary: params, weight: 1 }),
    headers: fuzzHeaders(fc.constant(null)),
    body: fuzzBody(params),
    contentType: contentTypeChoice,
  });
}

interface FormCase {
  spec: FuzzRequest;
  cookies: CookieMode;
  routed: readonly string[];
}

const login = formPost(
  formPath(['{action}', ['POST']], INTERACTION_PATHS),
  [CSRF, ['username', mostly(fc.constantFrom('alice', 'alice', 'bob', 'carol', 'ALICE'))], ['password', mostly(fc.constantFrom('alice-password', 'alice-password', 'wrong'))]],
  [['prompt', nastyText], ['remember', nastyText]],
);

const consent = formPost(
  formPath(['{action}', ['POST']], INTERACTION_PATHS),
  [CSRF, ['decision', mostly(fc.constantFrom('approve', 'deny', 'approve ', 'APPROVE', 'maybe'))]],
  [['scope', mostly(fc.constantFrom('openid a', 'openid a b c', 'admin'))], ['remember', nastyText]],
);

const device = fc.oneof(
  formPost(
    formPath(['/oauth/device', ['POST', 'GET']], [['/oauth/device/x', []], ['/oauth/devices', []]]),
    [CSRF, ['user_code', mostly(fc.oneof(credential('user_code'), fc.constantFrom('BCDF-GHJK', 'bcdf-ghjk', 'BCDFGHJK', '----', 'AAAA-AAAA')))]],
    [['action', mostly(fc.constantFrom('submit', 'approve', 'deny'))]],
  ),
  fc.record({
    spec: fc.record({
      method: fc.constant('GET'),
      path: fc.constant('/oauth/device'),
      query: fuzzParams([['user_code', mostly(credential('user_code'))]], [], ['user_code']),
      headers: fuzzHeaders(fc.constant(null)),
      body: fc.constant({ kind: 'none' as const }),
      contentType: fc.constant<'auto'>('auto'),
    }),
    cookies: cookieModes,
    routed: fc.constant(['POST', 'GET']),
  }),
);

/**
 * The builtin pages' forms under fuzzing (security checklist 97-100): the login and consent posts of a live
 * interaction and the device verification page, with their CSRF tokens and cookies right, spoiled or missing, and
 * hostile fields. Never 5xx or leaked internals; an HTML page or a redirect to the issuer's pages or a registered URI; a
 * refusal changes nothing but the attempt counters (login attempts, user code entries).
 */
describe.each(testMatrix())('fuzzing the login, consent and device pages on %s/%s', (platform, db) => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
  });
  afterAll(() => f?.t.close());

  /** Sends one fuzzed post of a freshly opened form (a consent decision is an outcome, not a refusal). */
  const run = async (open: () => Promise<OpenForm>, { spec, cookies, routed }: FormCase, decisionIsOutcome = false) => {
    const form = await open();
    const placeholders = { csrf: form.csrf, action: form.action, interaction: form.interaction };
    const extraHeaders = cookieHeader(form.browser, spec.path.replace('{action}', form.action), cookies);
    const refused = decisionIsOutcome ? (response: { status: number }) => response.status >= 400 : undefined;
    await checkFuzzRequest(f, spec, { kind: 'browser', methods: routed, extraHeaders, placeholders, allowed: [EXPECTED_CHANGES.rateLimits], ...(refused ? { refused } : {}) });
  };

  it(
    'the login form: a page or an allowed redirect, and refusals change only the attempt counters',
    async () => {
      await assertFuzz(login, (value) => run(() => loginForm(f.t), value), RUNS);
    },
    propertyTimeout(RUNS, 300),
  );

  it(
    'the consent form: a page or an allowed redirect, and refusals change nothing',
    async () => {
      await assertFuzz(consent, (value) => run(() => consentForm(f.t), value, true), RUNS);
    },
    propertyTimeout(RUNS, 400),
  );

  it(
    'the device verification page: a page or an allowed redirect, and refusals change only the entry counters',
    async () => {
      await assertFuzz(device, (value) => run(() => deviceForm(f.t), value), RUNS);
    },
    propertyTimeout(RUNS, 300),
  );
});
