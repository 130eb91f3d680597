import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

const CLIENT = { clientId: 'timed', clientSecret: 'timed-secret-0123456789abcdef' };
const ROUNDS = 6;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Client enumeration through the token endpoint (security checklist 34, 41; ASVS 6.3.8), coarse: an unknown client
 * and a known client with a wrong secret (wrong in its first or its last character) get the same status, headers and
 * body, and cost about the same time, because an unknown client's secret is checked against a dummy scrypt hash. A
 * statistical timing study (thousands of samples) is out of scope for CI; this catches a missing dummy check, which
 * would make unknown clients answer an order of magnitude faster.
 */
describe.each(testMatrix())('client enumeration at the token endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ platform, db, options: { scopes: ['a'], clients: [{ ...CLIENT, scopes: ['a'] }] } });
  });
  afterAll(() => t?.close());

  const tokenWith = (authorization: string) => postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization });
  async function timed(send: () => Promise<TestResponse>): Promise<{ ms: number; res: TestResponse }> {
    const start = process.hrtime.bigint();
    const res = await send();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, res };
  }
  const shape = (res: TestResponse) => ({
    status: res.status,
    body: res.text,
    challenge: res.headers.get('www-authenticate'),
    cacheControl: res.headers.get('cache-control'),
    contentType: res.headers.get('content-type'),
  });

  it('answers an unknown client and a wrong secret identically (checklist 34, 41)', async () => {
    const answers = [
      await tokenWith(basic('nobody-at-all', CLIENT.clientSecret)),
      await tokenWith(basic(CLIENT.clientId, `X${CLIENT.clientSecret.slice(1)}`)),
      await tokenWith(basic(CLIENT.clientId, `${CLIENT.clientSecret.slice(0, -1)}X`)),
    ].map(shape);
    expect(answers[0]!.status).toBe(401);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('spends a scrypt run on an unknown client too: no order-of-magnitude timing gap (checklist 41)', async () => {
    await tokenWith(basic(CLIENT.clientId, CLIENT.clientSecret)); // warm up: the dummy hash and the client row
    const unknown: number[] = [];
    const wrong: number[] = [];
    const malformed: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      // Interleaved, with a fresh wrong secret each time (only verified secrets are cached).
      unknown.push((await timed(() => tokenWith(basic(`nobody-${i}`, CLIENT.clientSecret)))).ms);
      wrong.push((await timed(() => tokenWith(basic(CLIENT.clientId, `${CLIENT.clientSecret}-${i}`)))).ms);
      malformed.push((await timed(() => tokenWith('Basic !!!'))).ms);
    }
    const [u, w, m] = [median(unknown), median(wrong), median(malformed)];
    expect(u / w, `unknown ${u} ms, wrong secret ${w} ms`).toBeGreaterThan(0.5);
    expect(u / w, `unknown ${u} ms, wrong secret ${w} ms`).toBeLessThan(2);
    // Both pay the KDF; a refusal that needs no hash (malformed credentials) is far cheaper.
    expect(u, `unknown ${u} ms, malformed ${m} ms`).toBeGreaterThan(3 * m);
  });
});
