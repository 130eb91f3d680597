import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { assertionClaims, assertionTokenRequest, expectAssertionRefused, jwksOf, signWithKey, testKeyPair, type TestKeyPair } from './support/assertions.js';
import { JwksServer } from './support/jwks-server.js';

/**
 * `private_key_jwt` with keys at the client's `jwks_uri` (OpenID Connect Core section 10.1.1; checklist 49 for the
 * client side): nothing is fetched at boot, the document is fetched once and kept `jwksCacheTtl` (300 s), a `kid`
 * it does not hold causes at most one refetch a minute (key rotation without a restart, no amplification by random
 * kids), concurrent first uses share one fetch. A local server on 127.0.0.1 stands for the client's key host
 * (`allowPrivateJwksUri: true`); time is a FakeClock, and every count is of requests that server received.
 */
describe.each(testMatrix())('private_key_jwt with a jwks_uri on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let t: TestApp;
  let jwks: JwksServer;
  const keys: Record<'cache' | 'r1' | 'r2' | 'ttl' | 'ttl2' | 'fail' | 'slow', TestKeyPair> = {} as never;

  beforeAll(async () => {
    for (const name of Object.keys({ cache: 0, r1: 0, r2: 0, ttl: 0, ttl2: 0, fail: 0, slow: 0 }) as (keyof typeof keys)[]) {
      keys[name] = await testKeyPair(name === 'r2' ? 'RS256' : 'ES256');
    }
    jwks = await JwksServer.start();
    jwks.set('/cache.json', { kind: 'json', body: jwksOf(keys.cache) });
    jwks.set('/rotate.json', { kind: 'json', body: jwksOf(keys.r1) });
    jwks.set('/ttl.json', { kind: 'json', body: jwksOf(keys.ttl) });
    jwks.set('/fail.json', { kind: 'json', body: jwksOf(keys.fail) });
    jwks.set('/slow.json', { kind: 'json', body: jwksOf(keys.slow), delayMs: 300 });
    const client = (clientId: string, path: string) => ({ clientId, jwksUri: jwks.url(path), scopes: ['read'] });
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clientAssertions: { allowPrivateJwksUri: true },
        clients: [
          client('uri-cache', '/cache.json'),
          client('uri-rotate', '/rotate.json'),
          client('uri-ttl', '/ttl.json'),
          client('uri-fail', '/fail.json'),
          client('uri-slow', '/slow.json'),
        ],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.stop();
  });

  const send = async (clientId: string, key: TestKeyPair, header: Record<string, unknown> = {}): Promise<TestResponse> =>
    assertionTokenRequest(t, await signWithKey(key, assertionClaims(clientId, clock.now()), header));
  const randomKid = () => ({ kid: randomBytes(9).toString('base64url') });

  it('fetches nothing at boot; fetches once at first use, then answers from the cache', async () => {
    expect(jwks.hits).toEqual([]);
    for (let i = 0; i < 4; i += 1) expectTokenResponse(await send('uri-cache', keys.cache));
    expect(jwks.count('/cache.json')).toBe(1);
  });

  it('the fetch is a plain GET for a JWK Set: no credentials, no body, nothing of the assertion', async () => {
    const assertion = await signWithKey(keys.slow, assertionClaims('uri-slow', clock.now()));
    expectTokenResponse(await assertionTokenRequest(t, assertion));
    const hit = jwks.hits.find((h) => h.path === '/slow.json')!;
    expect(hit.method).toBe('GET');
    expect(hit.body).toBe('');
    expect(hit.headers.accept).toMatch(/application\/jwk-set\+json|application\/json/);
    for (const header of ['authorization', 'cookie', 'content-type']) expect(hit.headers[header]).toBeUndefined();
    const sent = JSON.stringify(hit);
    for (const part of assertion.split('.')) expect(sent).not.toContain(part);
  });

  it('concurrent first uses of a client share one fetch', async () => {
    jwks.set('/slow.json', { kind: 'json', body: jwksOf(keys.slow), delayMs: 300 });
    clock.advance(301); // the earlier test's fetch has expired
    const before = jwks.count('/slow.json');
    const answers = await Promise.all(Array.from({ length: 6 }, () => send('uri-slow', keys.slow)));
    for (const res of answers) expectTokenResponse(res);
    expect(jwks.count('/slow.json') - before).toBe(1);
  });

  it('keeps the document jwksCacheTtl (300 s): a key removed from it still works until then, and not after', async () => {
    expectTokenResponse(await send('uri-ttl', keys.ttl));
    expect(jwks.count('/ttl.json')).toBe(1);
    jwks.set('/ttl.json', { kind: 'json', body: jwksOf(keys.ttl2) }); // the client rotated ttl out
    clock.advance(299);
    expectTokenResponse(await send('uri-ttl', keys.ttl));
    expect(jwks.count('/ttl.json')).toBe(1);
    clock.advance(2);
    expectAssertionRefused(await send('uri-ttl', keys.ttl));
    expect(jwks.count('/ttl.json')).toBe(2);
    expectTokenResponse(await send('uri-ttl', keys.ttl2));
    expect(jwks.count('/ttl.json')).toBe(2);
  });

  it('a new kid: no refetch within a minute of the last fetch, then exactly one, and the new key works', async () => {
    clock.advance(301); // start from an empty cache
    expectTokenResponse(await send('uri-rotate', keys.r1));
    const fetched = jwks.count('/rotate.json');
    jwks.set('/rotate.json', { kind: 'json', body: jwksOf(keys.r1, keys.r2) }); // the client publishes r2
    clock.advance(30);
    expectAssertionRefused(await send('uri-rotate', keys.r2));
    expect(jwks.count('/rotate.json')).toBe(fetched);
    clock.advance(31);
    expectTokenResponse(await send('uri-rotate', keys.r2));
    expect(jwks.count('/rotate.json')).toBe(fetched + 1);
    expectTokenResponse(await send('uri-rotate', keys.r1));
    expect(jwks.count('/rotate.json')).toBe(fetched + 1);
  });

  it('random unknown kids cause at most one fetch a minute', async () => {
    clock.advance(61);
    const before = jwks.count('/rotate.json');
    for (let i = 0; i < 10; i += 1) expectAssertionRefused(await send('uri-rotate', keys.r1, randomKid()));
    expect(jwks.count('/rotate.json') - before).toBe(1);
    await Promise.all(Array.from({ length: 10 }, async () => expectAssertionRefused(await send('uri-rotate', keys.r1, randomKid()))));
    expect(jwks.count('/rotate.json') - before).toBe(1);
    clock.advance(61);
    await Promise.all(Array.from({ length: 10 }, async () => expectAssertionRefused(await send('uri-rotate', keys.r1, randomKid()))));
    expect(jwks.count('/rotate.json') - before).toBe(2);
    expectTokenResponse(await send('uri-rotate', keys.r2)); // the known keys kept working throughout
  });

  it('a failed refetch also counts: unknown kids against a broken jwks_uri cause at most one fetch a minute', async () => {
    expectTokenResponse(await send('uri-fail', keys.fail));
    jwks.set('/fail.json', { kind: 'json', status: 500, body: { error: 'down' } });
    clock.advance(61);
    const before = jwks.count('/fail.json');
    for (let i = 0; i < 5; i += 1) expectAssertionRefused(await send('uri-fail', keys.fail, randomKid()));
    expect(jwks.count('/fail.json') - before).toBe(1);
    // The cached document still serves its known key until it expires; then the broken host fails closed.
    expectTokenResponse(await send('uri-fail', keys.fail));
    clock.advance(300);
    expectAssertionRefused(await send('uri-fail', keys.fail));
    // Once the host is fixed, the next use fetches it again.
    jwks.set('/fail.json', { kind: 'json', body: jwksOf(keys.fail) });
    expectTokenResponse(await send('uri-fail', keys.fail));
  });
});
