import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import { expectErrorEnvelope, expectTokenResponse, refusedWithoutSideEffects, tokenRequest } from './helpers.js';

const C = { id: 'fuzzed', secret: 'fuzzed-secret-00001' };
const AUTH = { authorization: basic(C.id, C.secret) };
const GRANT = 'grant_type=client_credentials';
const POST_CREDENTIALS = `client_id=${C.id}&client_secret=${C.secret}`;

interface BadRequest {
  /** What is wrong with it. */
  name: string;
  send: (t: TestApp) => Promise<TestResponse>;
  /** Accepted statuses (body parsers differ between Express and Fastify on some inputs). */
  status: number[];
  error: string;
}

const form = (body: string, headers: Record<string, string> = AUTH) => (t: TestApp) => tokenRequest(t, body, headers);
const raw = (init: RequestInit) => (t: TestApp) => request(`${t.url}/oauth/token`, { method: 'POST', ...init });
const multipart = () => {
  const data = new FormData();
  data.set('grant_type', 'client_credentials');
  return data;
};

/**
 * Every request below carries valid client credentials where it can, so a server that let the input
 * through would issue (and, tokens being opaque, store) a token: each must be refused with 4xx, an RFC
 * error body, and no new row in authnest_access_tokens (security checklist 97-99).
 */
const BAD_REQUESTS: BadRequest[] = [
  // 97: duplicates and structured parameters
  { name: 'grant_type twice', send: form(`${GRANT}&${GRANT}`), status: [400], error: 'invalid_request' },
  { name: 'scope twice', send: form(`${GRANT}&scope=a&scope=a`), status: [400], error: 'invalid_request' },
  { name: 'client_id twice with post', send: form(`${GRANT}&${POST_CREDENTIALS}&client_id=${C.id}`, {}), status: [400], error: 'invalid_request' },
  { name: 'client_secret twice with post', send: form(`${GRANT}&${POST_CREDENTIALS}&client_secret=${C.secret}`, {}), status: [400], error: 'invalid_request' },
  { name: 'client_id[]=x', send: form(`${GRANT}&client_id[]=${C.id}&client_secret=${C.secret}`, {}), status: [400], error: 'invalid_request' },
  { name: 'grant_type[]=client_credentials', send: form('grant_type[]=client_credentials'), status: [400], error: 'invalid_request' },
  { name: 'scope[0]=a', send: form(`${GRANT}&scope[0]=a`), status: [400], error: 'invalid_request' },
  { name: 'client_secret[x]=...', send: form(`${GRANT}&client_id=${C.id}&client_secret[x]=${C.secret}`, {}), status: [400], error: 'invalid_request' },
  { name: 'a nested unknown parameter a[b]=c', send: form(`${GRANT}&a[b]=c`), status: [400], error: 'invalid_request' },
  { name: 'a deeply nested parameter', send: form(`${GRANT}&a[b][c][d][e][f][g][h]=1`), status: [400], error: 'invalid_request' },
  // 98: content types
  { name: 'a JSON body', send: raw({ headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) }), status: [400], error: 'invalid_request' },
  { name: 'a JSON body with an array and null', send: raw({ headers: { ...AUTH, 'content-type': 'application/json' }, body: '{"grant_type":["client_credentials"],"scope":null}' }), status: [400], error: 'invalid_request' },
  { name: 'malformed JSON', send: raw({ headers: { ...AUTH, 'content-type': 'application/json' }, body: '{"grant_type":' }), status: [400], error: 'invalid_request' },
  { name: 'a multipart/form-data body', send: raw({ headers: AUTH, body: multipart() }), status: [400, 415], error: 'invalid_request' },
  { name: 'a text/plain body holding a form', send: raw({ headers: { ...AUTH, 'content-type': 'text/plain' }, body: GRANT }), status: [400], error: 'invalid_request' },
  { name: 'a body without content type', send: raw({ headers: AUTH, body: new TextEncoder().encode(GRANT) }), status: [400, 415], error: 'invalid_request' },
  { name: 'no body at all', send: raw({ headers: AUTH }), status: [400], error: 'invalid_request' },
  // 99: sizes and encodings
  { name: 'a 1 MB body', send: form(`${GRANT}&filler=${'f'.repeat(1_000_000)}`), status: [400, 413], error: 'invalid_request' },
  { name: 'a 3 MB body', send: form(`${GRANT}&filler=${'f'.repeat(3_000_000)}`), status: [413], error: 'invalid_request' },
  { name: 'a 10,000-token scope', send: form(`${GRANT}&scope=${Array.from({ length: 10_000 }, (_, i) => `s${i}`).join('+')}`), status: [400], error: 'invalid_request' },
  { name: 'a 100 kB scope', send: form(`${GRANT}&scope=${'a'.repeat(100_000)}`), status: [400], error: 'invalid_request' },
  { name: 'a 100 kB client_secret', send: form(`${GRANT}&client_id=${C.id}&client_secret=${'s'.repeat(100_000)}`, {}), status: [400], error: 'invalid_request' },
  { name: 'a 100 kB client_id', send: form(`${GRANT}&client_id=${'i'.repeat(100_000)}&client_secret=${C.secret}`, {}), status: [400], error: 'invalid_request' },
  { name: 'a 100 kB unknown parameter', send: form(`${GRANT}&unknown=${'u'.repeat(100_000)}`), status: [400], error: 'invalid_request' },
  { name: 'a 100 kB grant_type', send: form(`grant_type=${'g'.repeat(100_000)}`), status: [400], error: 'invalid_request' },
  { name: 'a NUL in client_id', send: form(`${GRANT}&client_id=${C.id}%00&client_secret=${C.secret}`, {}), status: [401], error: 'invalid_client' },
  { name: 'a NUL after the secret', send: form(`${GRANT}&client_id=${C.id}&client_secret=${C.secret}%00`, {}), status: [401], error: 'invalid_client' },
  { name: 'CR LF in client_id', send: form(`${GRANT}&client_id=${C.id}%0D%0AX-Injected:%201&client_secret=${C.secret}`, {}), status: [401], error: 'invalid_client' },
  { name: 'invalid UTF-8 in client_id', send: form(`${GRANT}&client_id=%C3%28${C.id}&client_secret=${C.secret}`, {}), status: [401], error: 'invalid_client' },
  { name: 'a truncated percent escape in client_secret', send: form(`${GRANT}&client_id=${C.id}&client_secret=%E0%A4%A`, {}), status: [401], error: 'invalid_client' },
  { name: 'a NUL in grant_type', send: form('grant_type=client_credentials%00'), status: [400], error: 'unsupported_grant_type' },
  { name: 'CR LF in scope', send: form(`${GRANT}&scope=a%0D%0Ab`), status: [400], error: 'invalid_scope' },
  { name: 'a NUL in scope', send: form(`${GRANT}&scope=a%00`), status: [400], error: 'invalid_scope' },
  { name: 'an empty grant_type (empty = omitted)', send: form('grant_type='), status: [400], error: 'unsupported_grant_type' },
  { name: 'an empty client_secret with post (empty = omitted: a confidential client without secret)', send: form(`${GRANT}&client_id=${C.id}&client_secret=`, {}), status: [401], error: 'invalid_client' },
];

/** Input parsing at the token endpoint: bad input is refused and changes nothing; harmless extras are tolerated. */
describe.each(testMatrix())('malformed input at the token endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  let store: DbInspector;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      options: {
        scopes: ['a'],
        accessToken: { format: 'opaque' },
        clients: [{ clientId: C.id, clientSecret: C.secret, scopes: ['a'], defaultScopes: ['a'], authMethods: ['client_secret_basic', 'client_secret_post'] }],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it('issues a token to the well-formed request all the cases below derive from', async () => {
    expectTokenResponse(await tokenRequest(t, GRANT, AUTH));
    expectTokenResponse(await tokenRequest(t, `${GRANT}&${POST_CREDENTIALS}`));
  });

  it.each(BAD_REQUESTS.map((c) => [c.name, c] as const))('refuses %s with 4xx, an RFC error and no stored token', async (_name, c) => {
    const res = await refusedWithoutSideEffects(store, () => c.send(t));
    expect(c.status, res.text).toContain(res.status);
    expect(res.body.error, res.text).toBe(c.error);
    expectErrorEnvelope(res);
  });

  it('refuses a 100 kB Authorization header before it reaches the endpoint (431), storing nothing', async () => {
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, GRANT, { authorization: basic(C.id, 's'.repeat(100_000)) }));
    expect(res.status).toBe(431);
  });

  describe('tolerated input', () => {
    it('ignores unknown parameters (RFC 6749 section 3.2)', async () => {
      expectTokenResponse(await tokenRequest(t, `${GRANT}&unknown=1&resource_owner=x&state=y&nonce=z`, AUTH));
    });

    it('treats empty values as omitted: scope=, client_id= and client_secret= beside Basic', async () => {
      const res = await tokenRequest(t, `${GRANT}&scope=&client_id=&client_secret=&client_assertion=`, AUTH);
      expect(expectTokenResponse(res).scope).toBe('a');
    });

    it('accepts a charset parameter on the form content type', async () => {
      expectTokenResponse(await tokenRequest(t, GRANT, { ...AUTH, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }));
    });

    it('accepts a parameter at the length limit (8192 characters)', async () => {
      expectTokenResponse(await tokenRequest(t, `${GRANT}&unknown=${'u'.repeat(8192)}`, AUTH));
    });

    it('never answers 5xx to prototype-pollution names or thousands of parameters', async () => {
      const bodies = [
        `${GRANT}&__proto__=x&constructor=y&hasOwnProperty=z`,
        `${GRANT}&__proto__[polluted]=1&constructor[prototype][polluted]=1`,
        `${GRANT}&${Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&')}`,
      ];
      for (const body of bodies) {
        const res = await tokenRequest(t, body, AUTH);
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status >= 400) expectErrorEnvelope(res);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
