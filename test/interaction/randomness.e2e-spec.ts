import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { bootFlowApp, codeRequest, FIRST, signedInBrowser } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;

/** No duplicates, 256-bit base64url values (43 characters), and not visibly sequential. */
function expectRandom(values: string[], count: number): void {
  expect(values).toHaveLength(count);
  expect(new Set(values).size).toBe(count);
  for (const value of values) expect(value).toMatch(BASE64URL_256_BITS);
  // Not time-ordered or counter-like: sorted order differs from issue order.
  expect([...values].sort()).not.toEqual(values);
}

/**
 * Unpredictability of what the browser flow generates (checklist C23, scaled to a few hundred per kind):
 * authorization codes, interaction ids and session tokens.
 */
describe.each(testMatrix())('randomness of codes, interaction ids and sessions on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { options: { loginRateLimit: { perAddress: { max: 10_000, window: 60 } } } });
  });
  afterAll(() => t?.close());

  it('issues 300 distinct 256-bit codes', async () => {
    const alice = await signedInBrowser(t);
    const codes: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      codes.push(clientRedirect(await alice.get(authorizePath(codeRequest(FIRST, pkce().challenge))), 'https://first.test/cb').get('code')!);
    }
    expectRandom(codes, 300);
  });

  it('starts 300 interactions with distinct 256-bit ids', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      const res = await request(`${t.url}${authorizePath(codeRequest(FIRST, pkce().challenge))}`);
      ids.push(res.headers.get('location')!.split('/').pop()!);
    }
    expectRandom(ids, 300);
  });

  it('creates 100 distinct 256-bit session tokens', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const browser = new TestBrowser(t);
      clientRedirect(await authorizeWithLogin(browser, codeRequest(FIRST, pkce().challenge)), 'https://first.test/cb');
      tokens.push(browser.jar.get('authnest_session')!.value.split('.')[0]!);
    }
    expectRandom(tokens, 100);
  });
});
