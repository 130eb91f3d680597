import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import {
  assertionClaims,
  assertionPost,
  assertionTokenRequest,
  jwksOf,
  rawJwt,
  signWithKey,
  signWithSecret,
  testKeyPair,
  withLogs,
  type TestKeyPair,
} from './support/assertions.js';
import { JwksServer } from './support/jwks-server.js';

/**
 * What a failed JWT client authentication gives away (checklist I, 39; OWASP ASVS 16.2.5): nothing. Every refused
 * assertion, whatever check it failed, gets the very same 401 body (no oracle telling which claim was wrong); no
 * answer and no log line carries an assertion, a signature, a client secret, or anything a jwks_uri answered.
 */
describe.each(testMatrix())('JWT client authentication leaks nothing on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  const HS = { id: 'leak-hs', secret: 'leak-hs-secret-0123456789abcdef01' };
  let t: TestApp;
  let jwks: JwksServer;
  let key: TestKeyPair;
  let stranger: TestKeyPair;
  let privateD: string;

  beforeAll(async () => {
    key = await testKeyPair('ES256');
    stranger = await testKeyPair('ES256', key.kid);
    const privateJwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    privateD = privateJwk.d!;
    jwks = await JwksServer.start();
    jwks.set('/private.json', { kind: 'json', body: { keys: [{ ...privateJwk, kid: key.kid }] } });
    jwks.set('/html', { kind: 'raw', contentType: 'text/html', body: '<html>internal-admin-console-7f3a</html>' });
    jwks.set('/error', { kind: 'json', status: 500, body: { error: 'stack-trace-secret-91c2' } });
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clientAssertions: { allowPrivateJwksUri: true, jwksTimeoutMs: 500 },
        clients: [
          { clientId: 'leak-pk', jwks: jwksOf(key), scopes: ['read'], allowIntrospection: true },
          { clientId: HS.id, clientSecret: HS.secret, authMethods: ['client_secret_jwt'], scopes: ['read'] },
          { clientId: 'leak-private', jwksUri: jwks.url('/private.json'), scopes: ['read'] },
          { clientId: 'leak-html', jwksUri: jwks.url('/html'), scopes: ['read'] },
          { clientId: 'leak-error', jwksUri: jwks.url('/error'), scopes: ['read'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.stop();
  });

  const claims = (clientId: string, overrides = {}) => assertionClaims(clientId, clock.now(), overrides);

  it('refusals are identical whatever failed, and neither answers nor logs carry assertions, secrets or fetched content', async () => {
    const now = Math.floor(clock.now() / 1000);
    const good = await signWithKey(key, claims('leak-pk'));
    const goodHs = await signWithSecret(HS.secret, claims(HS.id));
    const refusedAssertions = [
      good, // replayed below
      goodHs, // replayed below
      await signWithKey(stranger, claims('leak-pk')),
      await signWithKey(key, claims('leak-pk', { aud: 'https://other.example' })),
      await signWithKey(key, claims('leak-pk', { iat: now - 400, exp: now - 300 })),
      await signWithKey(key, claims('leak-pk', { exp: now + 3600 })),
      await signWithKey(key, claims('leak-pk', { nbf: now + 600 })),
      await signWithKey(key, claims('nobody')),
      await signWithSecret('wrong-secret-0123456789abcdef0123', claims(HS.id)),
      await signWithSecret(HS.secret, claims('leak-pk')),
      rawJwt({ alg: 'none' }, claims('leak-pk')),
      rawJwt({ alg: 'ES256', kid: key.kid }, claims('leak-pk'), 'bm90LWEtc2lnbmF0dXJlLWF0LWFsbA'),
      await signWithKey(key, claims('leak-private')),
      await signWithKey(key, claims('leak-html')),
      await signWithKey(key, claims('leak-error')),
    ];
    const { answers, logs } = await withLogs(async (logger) => {
      const answers: TestResponse[] = [];
      const ok = await assertionTokenRequest(t, good);
      const okHs = await assertionTokenRequest(t, goodHs);
      expect([ok.status, okHs.status], ok.text + okHs.text).toEqual([200, 200]);
      for (const assertion of refusedAssertions) answers.push(await assertionTokenRequest(t, assertion));
      for (const assertion of refusedAssertions.slice(2, 6)) answers.push(await assertionPost(t, '/oauth/introspect', assertion, { token: ok.body.access_token as string }));
      for (const assertion of refusedAssertions.slice(2, 6)) answers.push(await assertionPost(t, '/oauth/revoke', assertion, { token: ok.body.access_token as string }));
      // A secret sent beside an assertion (a 400, not a 401) is not repeated either.
      answers.push(await assertionTokenRequest(t, await signWithSecret(HS.secret, claims(HS.id)), { client_secret: HS.secret }));
      expect(logger.lines.length).toBeGreaterThan(0);
      return { answers, logs: logger.text };
    });

    const refusals = answers.slice(0, -1);
    for (const res of refusals) expect(res.status, res.text).toBe(401);
    expect(new Set(refusals.map((res) => res.text)).size, [...new Set(refusals.map((res) => res.text))].join('\n')).toBe(1);
    expect(answers.at(-1)!.status).toBe(400);

    const everything = `${answers.map((res) => `${res.text}\n${[...res.headers].join('\n')}`).join('\n')}\n${logs}`;
    for (const assertion of [good, goodHs, ...refusedAssertions]) {
      for (const part of assertion.split('.').filter((p) => p.length >= 16)) expect(everything).not.toContain(part);
    }
    for (const secret of [HS.secret, privateD, 'internal-admin-console-7f3a', 'stack-trace-secret-91c2', jwks.origin]) {
      expect(everything).not.toContain(secret);
    }
  });
});
