/**
 * How the standalone resource server learns and caches the issuer's keys (issue 4 item 6; RFC 8414 section 3.3;
 * security checklist item 49): `jwks_uri` is discovered from the issuer's metadata (whose `issuer` must be the
 * configured one), nothing is fetched at boot, the key set is fetched once and reused for `jwks.cacheTtl`, and
 * tokens with unknown `kid`s cause at most one refetch per `jwks.refetchInterval`. Requests are counted by a
 * proxy in front of the authorization server; time is a FakeClock shared by both apps.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResourceModuleOptions } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectInvalidToken, issueToken } from '../resource/support/resource-app.js';
import { accessTokenClaims, signJws } from '../resource/support/jwt-forge.js';
import {
  API_AUDIENCE,
  bootIssuer,
  bootResourceServer,
  callApi,
  expectUnavailable,
  JWKS_PATH,
  METADATA_PATH,
  type IssuerApp,
  type ResourceServerApp,
} from './support/resource-server-app.js';

describe.each(testMatrix())('JWKS discovery and cache on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 3, 1, 9, 0, 0));
  let as: IssuerApp;
  let attackerKey: CryptoKey;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIssuer(platform, db, { clock });
    attackerKey = (await generateKeyPair('ES256')).privateKey;
  });
  afterAll(async () => {
    for (const rs of open) await rs.close();
    await as?.close();
  });

  /** A fresh resource server (nothing cached) against `as`. */
  async function resourceServer(extra: Partial<AuthResourceModuleOptions> = {}): Promise<ResourceServerApp> {
    const rs = await bootResourceServer({ platform, clock, options: { issuer: as.issuer, audience: API_AUDIENCE, ...extra } });
    open.push(rs);
    return rs;
  }

  /** How often the proxy saw the metadata and the JWKS requested since `from`. */
  function fetches(from = { metadata: 0, jwks: 0 }) {
    return { metadata: as.proxy.count(METADATA_PATH) - from.metadata, jwks: as.proxy.count(JWKS_PATH) - from.jwks };
  }

  /** A well-formed token of the issuer, signed by a key it never published, under a made-up `kid`. */
  function forgedWithRandomKid(): Promise<string> {
    const claims = { ...accessTokenClaims(as, clock.nowSeconds()), aud: API_AUDIENCE };
    return signJws(attackerKey, { alg: 'ES256', typ: 'at+jwt', kid: randomBytes(12).toString('base64url') }, claims);
  }

  async function inBatches<T>(count: number, task: () => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let done = 0; done < count; done += 25) results.push(...(await Promise.all(Array.from({ length: Math.min(25, count - done) }, task))));
    return results;
  }

  it('fetches nothing at boot, then the metadata and the JWKS once for many tokens', async () => {
    const start = fetches();
    const rs = await resourceServer();
    expect(fetches(start)).toEqual({ metadata: 0, jwks: 0 });
    const tokens = await Promise.all(['profile', 'profile email', 'profile admin'].map((scope) => issueToken(as, 'jwt', scope)));
    for (let round = 0; round < 4; round += 1) {
      for (const token of tokens) expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    }
    expect(fetches(start)).toEqual({ metadata: 1, jwks: 1 });
  });

  it('shares one fetch between concurrent first requests', async () => {
    const start = fetches();
    const rs = await resourceServer();
    const token = await issueToken(as, 'jwt', 'profile');
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await callApi(rs, '/api/me', token)).status));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(fetches(start)).toEqual({ metadata: 1, jwks: 1 });
  });

  it('uses the key set for jwks.cacheTtl, then fetches it again (the metadata is not fetched again)', async () => {
    const start = fetches();
    const rs = await resourceServer({ jwks: { cacheTtl: 120 } });
    const token = await issueToken(as, 'jwt', 'profile');
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    clock.advance(119);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(fetches(start)).toEqual({ metadata: 1, jwks: 1 });
    clock.advance(1);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    expect(fetches(start)).toEqual({ metadata: 1, jwks: 2 });
  });

  it('refetches for unknown kids at most once per jwks.refetchInterval: 2 x 1,000 forged kids cost one fetch', async () => {
    const rs = await resourceServer({ jwks: { refetchInterval: 60 } });
    const valid = await issueToken(as, 'jwt', 'profile');
    expect((await callApi(rs, '/api/me', valid)).status).toBe(200);
    const start = fetches();
    const first = await inBatches(1000, async () => (await callApi(rs, '/api/me', await forgedWithRandomKid())).status);
    expect(new Set(first)).toEqual(new Set([401]));
    expect(fetches(start).jwks).toBe(0);
    clock.advance(60);
    const second = await inBatches(1000, async () => (await callApi(rs, '/api/me', await forgedWithRandomKid())).status);
    expect(new Set(second)).toEqual(new Set([401]));
    expect(fetches(start).jwks).toBe(1);
    expectInvalidToken(await callApi(rs, '/api/me', await forgedWithRandomKid()), as.issuer);
    expect((await callApi(rs, '/api/me', valid)).status).toBe(200);
    expect(fetches(start)).toEqual({ metadata: 0, jwks: 1 });
  });

  it('fetches a configured jwks.uri without discovery', async () => {
    const start = fetches();
    const rs = await resourceServer({ jwks: { uri: `${as.proxy.url}${JWKS_PATH}` } });
    expect((await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile'))).status).toBe(200);
    expect(fetches(start)).toEqual({ metadata: 0, jwks: 1 });
  });

  it('fetches nothing for a token whose algorithm is not allowed', async () => {
    const start = fetches();
    const rs = await resourceServer({ algorithms: ['RS256', 'PS256'] });
    expectInvalidToken(await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile')), as.issuer);
    expect(fetches(start)).toEqual({ metadata: 0, jwks: 0 });
  });

  it('does not trust metadata whose issuer differs from the issuer option (503, no JWKS fetch)', async () => {
    const start = fetches();
    const rs = await resourceServer({ issuer: `${as.issuer}/` });
    const res = await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile'));
    expectUnavailable(res, as.issuer);
    expect(fetches(start)).toEqual({ metadata: 1, jwks: 0 });
  });
});
