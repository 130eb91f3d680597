import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { signedIn } from './browser-session.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { browserRefused, expectNoFault } from './invariants.js';

/**
 * Regression (found by the fuzz suite on PostgreSQL): a `client_id` with a NUL character (`%00`) reached the client
 * lookup of the authorization and end-session endpoints, and PostgreSQL, whose text cannot hold NUL, failed the query:
 * a 500 page. No stored client id can contain NUL: the lookup answers "unknown client" without asking the database.
 */
describe.each(testMatrix())('a NUL in client_id on %s/%s', (platform, db) => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
  });
  afterAll(() => f?.t.close());

  it.each(['%00', 'fuzz-rp%00', '%00'.repeat(300)])('refuses client_id=%s at the authorization endpoint with a page, never 500', async (clientId) => {
    for (const cookie of [undefined, (await signedIn(f.t)).jar.header('/oauth/authorize')]) {
      const res = await request(`${f.t.url}/oauth/authorize?response_type=code&client_id=${clientId}`, { headers: cookie ? { cookie } : {} });
      expectNoFault(res, `${res.status} ${res.text.slice(0, 200)}`);
      expect(browserRefused(res)).toBe(true);
    }
  });

  it('refuses client_id=%00 at the end-session endpoint with a page, never 500', async () => {
    const res = await request(`${f.t.url}/oauth/logout?client_id=%00&post_logout_redirect_uri=https%3A%2F%2Fclient.test%2Fbye`);
    expectNoFault(res, `${res.status} ${res.text.slice(0, 200)}`);
  });
});
