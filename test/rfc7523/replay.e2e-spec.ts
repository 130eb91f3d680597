import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonceEntity } from '../../src/persistence/entities/nonce.entity.js';
import { authnestDataSource } from '../support/app-helpers.js';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import {
  assertionClaims,
  assertionPost,
  assertionTokenRequest,
  expectAssertionRefused,
  jwksOf,
  REVOCATION_ENDPOINT,
  signWithKey,
  signWithSecret,
  testKeyPair,
  type TestKeyPair,
} from './support/assertions.js';

/**
 * A client assertion is used once (OpenID Connect Core section 9 "MUST only be used once"; RFC 7523 section 3;
 * checklist 40, CVE-2020-15222): on the same endpoint, on another endpoint, and on another app instance, which
 * share only the database (two apps booted on one SQLite file or one PostgreSQL schema). Its `jti` is remembered,
 * hashed, until the assertion expires; per client.
 */
describe.each(testMatrix())('client assertion replay on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  const HS = { id: 'hs-svc', secret: 'hs-svc-secret-0123456789abcdef0' };
  let a: TestApp;
  let b: TestApp;
  let key: TestKeyPair;
  let otherKey: TestKeyPair;

  beforeAll(async () => {
    key = await testKeyPair('ES256');
    otherKey = await testKeyPair('EdDSA');
    const options = {
      scopes: ['read'],
      clients: [
        { clientId: 'svc', jwks: jwksOf(key), scopes: ['read'], allowIntrospection: true },
        { clientId: 'svc2', jwks: jwksOf(otherKey), scopes: ['read'] },
        { clientId: HS.id, clientSecret: HS.secret, authMethods: ['client_secret_jwt' as const], scopes: ['read'], allowIntrospection: true },
      ],
    };
    a = await bootTestApp({ platform, db, clock, options });
    b = await bootTestApp({ platform, db, clock, options, database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const claims = (clientId: string, overrides = {}) => assertionClaims(clientId, clock.now(), overrides);
  const sign = (overrides = {}) => signWithKey(key, claims('svc', overrides));
  /** A fresh access token of `svc` to revoke or introspect. */
  const freshToken = async () => expectTokenResponse(await assertionTokenRequest(a, await sign())).access_token;
  const revoke = (app: TestApp, assertion: string, token: string) => assertionPost(app, '/oauth/revoke', assertion, { token });
  const introspect = (app: TestApp, assertion: string, token: string) => assertionPost(app, '/oauth/introspect', assertion, { token });

  it('twice at the token endpoint: the second and later uses are 401 (private_key_jwt and client_secret_jwt)', async () => {
    for (const assertion of [await sign(), await signWithSecret(HS.secret, claims(HS.id))]) {
      expectTokenResponse(await assertionTokenRequest(a, assertion));
      expectAssertionRefused(await assertionTokenRequest(a, assertion), assertion);
      expectAssertionRefused(await assertionTokenRequest(a, assertion), assertion);
    }
  });

  it('on another endpoint: token, then revocation, then introspection', async () => {
    const token = await freshToken();
    const assertion = await sign();
    expectTokenResponse(await assertionTokenRequest(a, assertion));
    expectAssertionRefused(await revoke(a, assertion, token), assertion);
    expectAssertionRefused(await introspect(a, assertion, token), assertion);
    // the token was neither revoked nor described by the replays
    const res = await introspect(a, await sign(), token);
    expect(res.status, res.text).toBe(200);
    expect(res.body.active).toBe(true);
  });

  it('on another endpoint: revocation first, then the token endpoint', async () => {
    const token = await freshToken();
    const assertion = await sign({ aud: REVOCATION_ENDPOINT });
    const revoked = await revoke(a, assertion, token);
    expect(revoked.status, revoked.text).toBe(200);
    expectAssertionRefused(await assertionTokenRequest(a, assertion), assertion);
    expectAssertionRefused(await introspect(a, assertion, token), assertion);
  });

  it('on another app instance sharing the database, either way round', async () => {
    const first = await sign();
    expectTokenResponse(await assertionTokenRequest(a, first));
    expectAssertionRefused(await assertionTokenRequest(b, first), first);
    const second = await signWithSecret(HS.secret, claims(HS.id));
    expectTokenResponse(await assertionTokenRequest(b, second));
    expectAssertionRefused(await assertionTokenRequest(a, second), second);
    const token = await freshToken();
    const third = await sign();
    expect((await introspect(b, third, token)).status).toBe(200);
    expectAssertionRefused(await revoke(a, third, token), third);
  });

  it('sent at once to both instances, many times: exactly one use succeeds', async () => {
    const assertion = await sign();
    const sends: Promise<TestResponse>[] = [];
    for (let i = 0; i < 12; i += 1) sends.push(assertionTokenRequest(i % 2 === 0 ? a : b, assertion));
    const answers = await Promise.all(sends);
    expect(answers.map((res) => res.status).sort()).toEqual([200, ...Array<number>(11).fill(401)]);
    for (const res of answers.filter((r) => r.status !== 200)) expectAssertionRefused(res, assertion);
  });

  it('the jti is what is remembered: a new assertion reusing a used jti is refused', async () => {
    const jti = randomUUID();
    expectTokenResponse(await assertionTokenRequest(a, await sign({ jti })));
    expectAssertionRefused(await assertionTokenRequest(b, await sign({ jti, exp: Math.floor(clock.now() / 1000) + 90 })));
    expectAssertionRefused(await assertionTokenRequest(a, await signWithKey(key, claims('svc', { jti, aud: 'http://127.0.0.1' }))));
  });

  it('jtis are per client: two clients may use the same jti', async () => {
    const jti = randomUUID();
    expectTokenResponse(await assertionTokenRequest(a, await sign({ jti })));
    expectTokenResponse(await assertionTokenRequest(b, await signWithKey(otherKey, claims('svc2', { jti }))));
    expectTokenResponse(await assertionTokenRequest(a, await signWithSecret(HS.secret, claims(HS.id, { jti }))));
  });

  it('a used jti is remembered until the assertion expires (plus leeway), then may be used again', async () => {
    const jti = randomUUID();
    const first = await sign({ jti, exp: Math.floor(clock.now() / 1000) + 30 });
    expectTokenResponse(await assertionTokenRequest(a, first));
    clock.advance(34); // past exp, inside the 5 s leeway: still valid, still remembered
    expectAssertionRefused(await assertionTokenRequest(b, first), first);
    expectAssertionRefused(await assertionTokenRequest(b, await sign({ jti })));
    clock.advance(3); // now past exp + leeway
    expectAssertionRefused(await assertionTokenRequest(a, first), first);
    expectTokenResponse(await assertionTokenRequest(b, await sign({ jti })));
  });

  it('neither the jti nor the client id is stored in clear', async () => {
    const jti = `visible-${randomUUID()}`;
    expectTokenResponse(await assertionTokenRequest(a, await sign({ jti })));
    const rows = await authnestDataSource(b.app).getRepository(NonceEntity).find();
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(jti);
    expect(dump).not.toContain('svc');
    for (const row of rows) expect(String(row.id)).toMatch(/^[0-9a-f]{64}$/);
  });
});
