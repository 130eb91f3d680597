/**
 * The guard fails closed when the issuer cannot be asked (security checklist item 56 and FL5): with the
 * authorization server answering 500, an HTML page, dropping the connection, never answering, or not listening,
 * a token that needs a fetch gets 503 `temporarily_unavailable` (never 200, no challenge, nothing internal in
 * the body), and the next request after the issuer is back verifies. Keys already fetched keep verifying for
 * `jwks.cacheTtl` and not a second longer: past it, an unreachable issuer means 503.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectInvalidToken, issueToken } from '../resource/support/resource-app.js';
import { accessTokenClaims, signJws } from '../resource/support/jwt-forge.js';
import type { ProxyMode } from './support/counting-proxy.js';
import {
  API_AUDIENCE,
  bootIssuer,
  bootResourceServer,
  callApi,
  expectUnavailable,
  METADATA_PATH,
  type IssuerApp,
  type ResourceServerApp,
} from './support/resource-server-app.js';

const FAULTS: Exclude<ProxyMode, 'forward'>[] = ['error', 'html', 'reset', 'hang'];
/** The resource server's `timeoutMs`: generous, so that a loaded CI machine is not taken for an issuer that hangs. */
const TIMEOUT_MS = 1000;

describe.each(testMatrix())('issuer unreachable, seen by a standalone resource server, on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 5, 1, 9, 0, 0));
  let as: IssuerApp;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIssuer(platform, db, { clock });
  });
  afterEach(() => {
    as.proxy.mode = 'forward';
  });
  afterAll(async () => {
    for (const rs of open) await rs.close();
    await as?.close();
  });

  async function resourceServer(): Promise<ResourceServerApp> {
    const rs = await bootResourceServer({ platform, clock, options: { issuer: as.issuer, audience: API_AUDIENCE, timeoutMs: TIMEOUT_MS, jwks: { cacheTtl: 300 } } });
    open.push(rs);
    return rs;
  }

  async function forged(): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    const claims = { ...accessTokenClaims(as, clock.nowSeconds()), aud: API_AUDIENCE };
    return signJws(privateKey, { alg: 'ES256', typ: 'at+jwt', kid: randomBytes(8).toString('hex') }, claims);
  }

  it.each(FAULTS)('answers 503 while the issuer is broken (%s), then verifies once it is back', async (mode) => {
    const rs = await resourceServer();
    const token = await issueToken(as, 'jwt', 'profile');
    as.proxy.mode = mode;
    const before = as.proxy.count(METADATA_PATH);
    expectUnavailable(await callApi(rs, '/api/me', token), as.issuer);
    expectUnavailable(await callApi(rs, '/api/me', await forged()), as.issuer);
    expect(as.proxy.count(METADATA_PATH) - before).toBe(2);
    as.proxy.mode = 'forward';
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
  });

  it('answers 503 while nothing listens at the issuer, then verifies once it is back', async () => {
    const rs = await resourceServer();
    const token = await issueToken(as, 'jwt', 'profile');
    await as.proxy.stop();
    try {
      expectUnavailable(await callApi(rs, '/api/me', token), as.issuer);
      expectUnavailable(await callApi(rs, '/api/me', await forged()), as.issuer);
    } finally {
      await as.proxy.restart();
    }
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
  });

  it('answers 503 when the JWKS document is not a JWK Set', async () => {
    const rs = await bootResourceServer({
      platform,
      clock,
      options: { issuer: as.issuer, audience: API_AUDIENCE, jwks: { uri: `${as.issuer}${METADATA_PATH}` } },
    });
    open.push(rs);
    expectUnavailable(await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile')), as.issuer);
  });

  it('keeps verifying with fetched keys for jwks.cacheTtl while the issuer is down, refuses forgeries, then 503 (never 200 for a key past its cacheTtl)', async () => {
    const rs = await resourceServer();
    const token = await issueToken(as, 'jwt', 'profile');
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
    await as.proxy.stop();
    try {
      clock.advance(299);
      expect((await callApi(rs, '/api/me', token)).status).toBe(200);
      // An unknown kid may ask the issuer again (refetchInterval has passed): it cannot answer, so 503; the next
      // unknown kid within refetchInterval is not worth asking about: 401.
      expectUnavailable(await callApi(rs, '/api/me', await forged()), as.issuer);
      expectInvalidToken(await callApi(rs, '/api/me', await forged()), as.issuer);
      clock.advance(1);
      expectUnavailable(await callApi(rs, '/api/me', token), as.issuer);
      expectUnavailable(await callApi(rs, '/api/me', token), as.issuer);
    } finally {
      await as.proxy.restart();
    }
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
  });
});
