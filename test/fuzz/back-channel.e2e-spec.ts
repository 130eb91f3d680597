import { afterAll, beforeAll, describe, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { TARGETS } from './back-channel-requests.js';
import { checkFuzzRequest } from './fuzz-case.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { assertFuzz, propertyTimeout } from './fuzz-config.js';

const RUNS = 70;
const RUNS_TOKEN = 120;
/** Runs of each endpoint's property (the token endpoint, with every grant, gets more; the fast path's fewer). */
const runsFor = (path: string, fastPath: boolean) => (fastPath ? RUNS : path === '/oauth/token' ? RUNS_TOKEN : RUNS);

/**
 * The back-channel endpoints under fuzzing (security checklist 71, 97-100): the token endpoint with every grant type,
 * revocation, introspection, device authorization and PAR, with valid credentials mixed with malformed, duplicated,
 * structured, oversized and mis-typed input. Never 5xx or leaked internals, always an RFC 6749 section 5.2 error
 * with no-store, and a refusal leaves the database as it was. The endpoints the fast path answers (token, revocation,
 * introspection) are fuzzed again with `fastPath: true`: its own form parser owes the same answers.
 */
describe.each(testMatrix().flatMap(([platform, db]) => [false, true].map((fastPath) => [platform, db, fastPath] as const)))(
  'fuzzing the back-channel endpoints on %s/%s (fastPath %s)',
  (platform, db, fastPath) => {
    let f: FuzzApp;
    beforeAll(async () => {
      f = await bootFuzzApp(platform, db, { fastPath });
    });
    afterAll(() => f?.t.close());

    for (const target of TARGETS.filter((candidate) => !fastPath || candidate.fastPath)) {
      const runs = runsFor(target.path, fastPath);
      it(
        `${target.name}: a success or an RFC error, and refusals change nothing`,
        async () => {
          await assertFuzz(target.requests, async (spec) => void (await checkFuzzRequest(f, spec, { kind: 'protocol', methods: target.methods })), runs);
        },
        propertyTimeout(runs),
      );
    }
  },
);
