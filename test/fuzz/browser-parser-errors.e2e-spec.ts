import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { expectPageHeaders } from '../support/page-headers.js';
import { expectErrorEnvelope } from '../token-endpoint/helpers.js';
import { bootFuzzApp, type FuzzApp } from './fuzz-app.js';
import { expectNoFault } from './invariants.js';

/** Bodies every body parser refuses before a controller runs, on Express, Fastify or both. */
const UNPARSABLE: [name: string, init: { headers: Record<string, string>; body: string | Buffer }][] = [
  ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: 'ticket=%EF%BF%BD' }],
  ['a form in UTF-16', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: 'user_code=BCDF-GHJK' }],
  ['multipart/form-data', { headers: { 'content-type': 'multipart/form-data; boundary=fuzz' }, body: '--fuzz\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--fuzz--\r\n' }],
  ['an oversized form (3 MB)', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `padding=${'p'.repeat(3_000_000)}` }],
];

const BROWSER_POSTS = ['/oauth/authorize', '/oauth/logout', '/oauth/logout/confirm', '/oauth/device', '/oauth/interaction/unknown/login', '/oauth/interaction/unknown/consent'];

/**
 * Regression (found by the fuzz suite): a body the platform's parser refused before a browser page's controller ran
 * (malformed JSON, an unsupported charset, multipart, a body over the limit) was answered with Nest's JSON,
 * `{"message":"Unexpected token 't', \"ticket=%EF\"... is not valid JSON","statusCode":400}` on Express (the parser's
 * message, echoing the body) and `{"statusCode":415,...}` on Fastify, instead of the HTML error page every other
 * refusal of those endpoints gets. Protocol endpoints keep their RFC 6749 errors, other paths the app's own.
 */
describe.each(testMatrix())('body parser refusals on browser pages on %s/%s', (platform, db) => {
  let f: FuzzApp;
  beforeAll(async () => {
    f = await bootFuzzApp(platform, db);
  });
  afterAll(() => f?.t.close());

  const post = (path: string, init: { headers: Record<string, string>; body: string | Buffer }): Promise<TestResponse> =>
    request(`${f.t.url}${path}`, { method: 'POST', headers: init.headers, body: init.body });

  it.each(UNPARSABLE)('answers %s to every browser page with the HTML error page, never the parser message', async (_name, init) => {
    for (const path of BROWSER_POSTS) {
      const res = await post(path, init);
      const what = `${path}: ${res.status} ${res.text.slice(0, 200)}`;
      expectNoFault(res, what);
      if (res.status < 400) continue; // a parser that accepted the body: the page answered it (tested by the fuzz properties)
      expect(res.headers.get('content-type'), what).toBe('text/html; charset=utf-8');
      expect(res.text, what).not.toMatch(/Unexpected token|statusCode|is not valid JSON|FST_/);
      expectPageHeaders(res);
    }
  });

  it('keeps RFC 6749 errors on protocol endpoints and the app own 404 elsewhere', async () => {
    const [name, init] = UNPARSABLE[0]!;
    const token = await post('/oauth/token', init);
    expect(token.status, name).toBe(400);
    expectErrorEnvelope(token);
    const elsewhere = await post('/not-authnest', init);
    expect(elsewhere.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
