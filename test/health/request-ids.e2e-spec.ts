import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingLogger } from '../rfc7523/support/assertions.js';
import { basic, postForm, request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootHealthApp, CLIENT } from './support.js';

/** A fresh id: 12 random bytes, base64url. */
const FRESH = /^[A-Za-z0-9_-]{16}$/;
const AUTH = { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) };

const withId = (id: string, headers: Record<string, string> = {}) => ({ ...headers, 'x-request-id': id });
const idOf = (res: TestResponse) => res.headers.get('x-request-id');

/** Sends raw bytes (what fetch refuses to send) and resolves the raw answer. */
function rawRequest(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/**
 * Request ids (issue 11): every request gets one, echoed in `X-Request-Id` (error answers too): the caller's when safe
 * to echo and log, else a fresh random one; host controllers (after a body parser, a guard, timers) see it as
 * `currentRequestId()`, authnest's log lines made while serving it start with `[req=<id>]`, and concurrent requests
 * never see each other's.
 */
describe.each(testMatrix())('request ids on %s/%s', (platform, db) => {
  let t: TestApp;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    t = await bootHealthApp(platform, db);
    t.app.useLogger(logs);
  });
  afterAll(() => t?.close());

  it('gives a request without one a fresh id, another for each request', async () => {
    const [a, b] = await Promise.all([request(`${t.url}/context`), request(`${t.url}/context`)]);
    expect(idOf(a)).toMatch(FRESH);
    expect(idOf(b)).toMatch(FRESH);
    expect(idOf(a)).not.toBe(idOf(b));
    expect(a.body).toEqual({ before: idOf(a), requestId: idOf(a) });
  });

  it.each(['abc123', 'trace-1.span:2_x', 'A'.repeat(128), 'f47ac10b-58cc-4372-a567-0e02b2c3d479'])('echoes a safe incoming id (%s)', async (id) => {
    const res = await request(`${t.url}/context`, { headers: withId(id) });
    expect(idOf(res)).toBe(id);
    expect(res.body.requestId).toBe(id);
  });

  it.each([
    ['too long', 'A'.repeat(129)],
    ['empty', ''],
    ['a space', 'abc def'],
    ['a tab', 'abc\tdef'],
    ['markup', '<script>alert(1)</script>'],
    ['a slash and quotes', 'a/b"c\'d'],
    ['latin-1', 'caf\u00e9'],
  ])('replaces an unsafe incoming id (%s) with a fresh one', async (_what, id) => {
    const res = await request(`${t.url}/context`, { headers: withId(id) });
    expect(idOf(res)).toMatch(FRESH);
    expect(res.body.requestId).toBe(idOf(res));
  });

  it('replaces an id sent twice (Node joins them with a comma and a space)', async () => {
    const answer = await rawRequest(t.url, `GET /context HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\nX-Request-Id: two\r\nConnection: close\r\n\r\n`);
    const echoed = /\r\nx-request-id: ([^\r\n]*)\r\n/i.exec(answer)?.[1];
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(echoed).toMatch(FRESH);
  });

  it('never echoes CR or LF: a header that smuggles one is refused by the HTTP parser, or its id replaced', async () => {
    const answer = await rawRequest(t.url, `GET /context HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\rSet-Cookie: evil=1\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 (?:400|200) /);
    expect(answer).not.toMatch(/set-cookie: evil/i);
    const echoed = /\r\nx-request-id: ([^\r\n]*)\r\n/i.exec(answer)?.[1];
    if (echoed !== undefined) expect(echoed).toMatch(FRESH);
  });

  it('keeps the id across a body parser and in a guarded route', async () => {
    const posted = await request(`${t.url}/context`, { method: 'POST', headers: withId('posted-1', { 'content-type': 'application/json' }), body: JSON.stringify({ value: 'x' }) });
    expect(posted.body).toEqual({ requestId: 'posted-1', value: 'x' });
    const form = await postForm(`${t.url}/context`, { value: 'y' }, withId('posted-2'));
    expect(form.body).toEqual({ requestId: 'posted-2', value: 'y' });
    const token = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, AUTH);
    const guarded = await request(`${t.url}/context/guarded`, { headers: withId('guarded-1', { authorization: `Bearer ${token.body.access_token as string}` }) });
    expect(guarded.status, guarded.text).toBe(200);
    expect(guarded.body).toEqual({ requestId: 'guarded-1' });
  });

  it('echoes the id on error answers: 400, 401 at the token endpoint and a guarded route, 404', async () => {
    const badGrant = await postForm(`${t.url}/oauth/token`, { grant_type: 'password' }, withId('err-400', AUTH));
    expect([badGrant.status, idOf(badGrant)]).toEqual([400, 'err-400']);
    const badClient = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, withId('err-401', { authorization: basic(CLIENT.clientId, 'wrong') }));
    expect([badClient.status, idOf(badClient)]).toEqual([401, 'err-401']);
    const noToken = await request(`${t.url}/context/guarded`, { headers: withId('err-401-guard') });
    expect([noToken.status, idOf(noToken)]).toEqual([401, 'err-401-guard']);
    const missing = await request(`${t.url}/nowhere`, { headers: withId('err-404') });
    expect([missing.status, idOf(missing)]).toEqual([404, 'err-404']);
    const malformed = await request(`${t.url}/context`, { method: 'POST', headers: withId('err-400-json', { 'content-type': 'application/json' }), body: '{' });
    expect([malformed.status, idOf(malformed)]).toEqual([400, 'err-400-json']);
  });

  it("prefixes authnest's log lines made while serving a request with its id, and nothing secret", async () => {
    logs.lines.length = 0;
    const res = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, withId('log-check-1', { authorization: basic(CLIENT.clientId, 'wrong-secret-xyz') }));
    expect(res.status).toBe(401);
    expect(logs.lines.filter((line) => line.includes('Client authentication failed'))).toEqual([expect.stringMatching(/^\[req=log-check-1\] Client authentication failed/)]);
    expect(logs.text).not.toContain('wrong-secret-xyz');
  });

  it('keeps concurrent requests apart', async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `concurrent-${index}`);
    const answers = await Promise.all(ids.map((id, index) => request(`${t.url}/context?delay=${(index * 7) % 25}`, { headers: withId(id) })));
    expect(answers.map((res) => [idOf(res), res.body.before, res.body.requestId])).toEqual(ids.map((id) => [id, id, id]));
  });
});
