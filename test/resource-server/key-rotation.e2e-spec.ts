/**
 * A new signing key reaches a standalone resource server (issue 4 item 6; security checklist item 85): a second
 * authorization server instance on the same database signs with another algorithm, so its boot inserts a key the
 * resource server has never seen (as in test/resource/key-reload). Behind the proxy (the load balancer) the
 * resource server's requests now land on that instance; the first token under the new `kid` causes one JWKS
 * refetch once `jwks.refetchInterval` has passed since the last fetch, and every token verifies afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, TEST_SECRET } from '../support/test-app.js';
import { expectInvalidToken, issueToken } from '../resource/support/resource-app.js';
import { inspect } from '../resource/support/jwt-forge.js';
import {
  API_AUDIENCE,
  bootIssuer,
  bootResourceServer,
  callApi,
  JWKS_PATH,
  type IssuerApp,
  type ResourceServerApp,
} from './support/resource-server-app.js';

const signing = (algorithm: SigningAlgorithm) => ({ signing: { algorithm, encryptionSecret: TEST_SECRET } });

describe.each(testMatrix())('key rotation seen by a standalone resource server on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 4, 1, 9, 0, 0));
  let first: IssuerApp;
  let second: IssuerApp | undefined;
  let rs: ResourceServerApp;

  beforeAll(async () => {
    first = await bootIssuer(platform, db, { clock, options: signing('ES256') });
    rs = await bootResourceServer({ platform, clock, options: { issuer: first.issuer, audience: API_AUDIENCE, jwks: { refetchInterval: 60 } } });
  });
  afterAll(async () => {
    await rs?.close();
    await second?.close();
    await first?.close();
  });

  it("verifies a token signed by another instance's new key after one refetch, and the old key's tokens still", async () => {
    const old = await issueToken(first, 'jwt', 'profile');
    expect((await callApi(rs, '/api/me', old)).status).toBe(200);
    const jwks = () => first.proxy.count(JWKS_PATH);
    expect(jwks()).toBe(1);

    second = await bootIssuer(platform, db, { clock, proxy: first.proxy, database: first.database, options: signing('RS256') });
    first.proxy.target = second.url;
    const rotated = await issueToken(second, 'jwt', 'profile');
    expect(inspect(rotated).header.alg).toBe('RS256');
    expect(inspect(rotated).header.kid).not.toBe(inspect(old).header.kid);
    expect(inspect(rotated).claims.iss).toBe(first.issuer);

    // Within refetchInterval of the last fetch an unknown kid is refused without a fetch (the flood guard).
    expectInvalidToken(await callApi(rs, '/api/me', rotated), first.issuer);
    expect(jwks()).toBe(1);

    clock.advance(60);
    const res = await callApi(rs, '/api/me', rotated);
    expect(res.status, res.text).toBe(200);
    expect(res.body.clientId).toBe('rs-jwt');
    expect(jwks()).toBe(2);
    for (const token of [rotated, old, await issueToken(second, 'jwt', 'profile')]) {
      expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    }
    expect(jwks()).toBe(2);
  });
});
