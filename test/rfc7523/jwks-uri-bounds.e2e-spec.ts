import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { assertionClaims, assertionTokenRequest, expectAssertionRefused, jwksOf, signWithKey, testKeyPair, withLogs, type TestKeyPair } from './support/assertions.js';
import { JwksServer, type JwksBehaviour } from './support/jwks-server.js';

const TIMEOUT_MS = 1000;
/** Generous: the point is "about the timeout, not the 50 MB or the drip's minutes", on a loaded CI machine too. */
const FAST_MS = TIMEOUT_MS + 4000;

/**
 * Bounds of a `jwks_uri` fetch (checklist 91; node-oidc-provider's 2.5 s and body limits): a host that never
 * answers, drips a byte a second, sends 50 MB or streams forever is cut off at `jwksTimeoutMs` or 64 KiB; HTML,
 * non-JSON, error statuses and documents with private or symmetric keys are refused. Each fails closed with 401
 * `invalid_client` about the timeout after it was asked, other requests meanwhile are answered as usual, nothing
 * of the document reaches the answer or the logs, and a fixed host works on the next use (no failure is cached).
 */
describe.each(testMatrix())('jwks_uri fetch bounds on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let t: TestApp;
  let jwks: JwksServer;
  let key: TestKeyPair;
  let privateD: string;
  let secretK: string;

  beforeAll(async () => {
    key = await testKeyPair('ES256');
    const privateJwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    privateD = privateJwk.d!;
    secretK = randomBytes(32).toString('base64url');
    jwks = await JwksServer.start();
    const behaviours: Record<string, JwksBehaviour> = {
      hang: { kind: 'hang' },
      drip: { kind: 'drip' },
      huge: { kind: 'stream', bytes: 50 * 1024 * 1024 },
      forever: { kind: 'stream', bytes: Number.POSITIVE_INFINITY },
      html: { kind: 'html' },
      'not-utf8': { kind: 'raw', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
      array: { kind: 'json', body: [key.publicJwk] },
      'no-keys': { kind: 'json', body: { keys: [] } },
      status500: { kind: 'json', status: 500, body: jwksOf(key) },
      status404: { kind: 'json', status: 404, body: jwksOf(key) },
      reset: { kind: 'reset' },
      private: { kind: 'json', body: { keys: [{ ...privateJwk, kid: key.kid, alg: 'ES256' }] } },
      'public-and-private': { kind: 'json', body: { keys: [key.publicJwk, { ...privateJwk, kid: 'other' }] } },
      symmetric: { kind: 'json', body: { keys: [{ kty: 'oct', k: secretK, kid: key.kid, alg: 'HS256' }] } },
      'private-member-on-public-key': { kind: 'json', body: { keys: [{ ...key.publicJwk, d: privateD }] } },
    };
    for (const [name, behaviour] of Object.entries(behaviours)) jwks.set(`/${name}`, behaviour);
    jwks.set('/good', { kind: 'json', body: jwksOf(key) });
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clientAssertions: { allowPrivateJwksUri: true, jwksTimeoutMs: TIMEOUT_MS },
        clients: [
          ...Object.keys(behaviours).map((name) => ({ clientId: `bad-${name}`, jwksUri: jwks.url(`/${name}`), scopes: ['read'] })),
          { clientId: 'inline', jwks: jwksOf(key), scopes: ['read'] },
          { clientId: 'good-uri', jwksUri: jwks.url('/good'), scopes: ['read'] },
          { clientId: 'fixed-later', jwksUri: jwks.url('/later'), scopes: ['read'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.stop();
  });

  const send = async (clientId: string): Promise<{ res: TestResponse; ms: number; assertion: string }> => {
    const assertion = await signWithKey(key, assertionClaims(clientId, clock.now()));
    const started = performance.now();
    const res = await assertionTokenRequest(t, assertion);
    return { res, ms: performance.now() - started, assertion };
  };

  it.each([
    ['never answers', 'hang'],
    ['drips a byte a second', 'drip'],
    ['sends 50 MB', 'huge'],
    ['streams forever', 'forever'],
  ])('a host that %s is cut off: 401 soon, the connection closed by authnest', async (_what, name) => {
    const { res, ms, assertion } = await send(`bad-${name}`);
    expectAssertionRefused(res, assertion);
    expect(ms).toBeLessThan(FAST_MS);
    expect(jwks.count(`/${name}`)).toBe(1);
    await expect.poll(() => jwks.abandoned.get(`/${name}`) ?? 0).toBe(1);
  });

  it('a 50 MB body is abandoned at the 64 KiB cap, not read to the end (what went out is socket buffers)', async () => {
    expect(jwks.sent.get('/huge') ?? 0).toBeLessThan(16 * 1024 * 1024);
    expect(jwks.sent.get('/forever') ?? 0).toBeLessThan(16 * 1024 * 1024);
    expect(jwks.sent.get('/drip') ?? 0).toBeLessThanOrEqual(5);
  });

  it.each(['html', 'not-utf8', 'array', 'no-keys', 'status500', 'status404', 'reset'])('a host that answers %s: 401 invalid_client', async (name) => {
    const { res, ms, assertion } = await send(`bad-${name}`);
    expectAssertionRefused(res, assertion);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it.each(['private', 'public-and-private', 'symmetric', 'private-member-on-public-key'])(
    'a document with private or symmetric keys (%s) is refused whole, its content never logged',
    async (name) => {
      await withLogs(async (logger) => {
        const { res, assertion } = await send(`bad-${name}`);
        expectAssertionRefused(res, assertion);
        expect(logger.text).toContain('not a public JWK Set');
        for (const secret of [privateD, secretK]) {
          expect(logger.text).not.toContain(secret);
          expect(res.text).not.toContain(secret);
        }
      });
    },
  );

  it('other requests are answered while a fetch hangs, jwks_uri clients included', async () => {
    const before = jwks.count('/hang');
    let hungDone = false;
    const hung = send('bad-hang').then((result) => ((hungDone = true), result));
    await expect.poll(() => jwks.count('/hang')).toBe(before + 1); // the app is now waiting on the hanging host
    for (const clientId of ['inline', 'good-uri', 'inline', 'good-uri']) expectTokenResponse((await send(clientId)).res);
    expect(hungDone).toBe(false);
    expectAssertionRefused((await hung).res);
  });

  it('no failure is cached: a fixed host is fetched again and works', async () => {
    expectAssertionRefused((await send('fixed-later')).res); // 404 so far
    jwks.set('/later', { kind: 'json', body: jwksOf(key) });
    expectTokenResponse((await send('fixed-later')).res);
    jwks.set('/hang', { kind: 'json', body: jwksOf(key) });
    expectTokenResponse((await send('bad-hang')).res);
  });
});
