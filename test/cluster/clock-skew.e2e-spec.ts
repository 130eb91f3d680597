import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { Cluster, CLUSTER_BOOT_TIMEOUT_MS } from './support/cluster.js';
import { clusterDatabaseKind } from './support/cluster-database.js';
import { browserCode, clusterBrowser, expectError, getApi, redeem, refresh, tokenPost, tokensOf } from './support/cluster-flows.js';

const PLATFORMS = ['express', 'fastify'] as const;
const SCOPE = 'openid profile posts:read';
/** Within every leeway: resource.leeway (5 s) between any two instances, dpop.leeway (15 s) from any client. */
const WITHIN_MS = [0, 2_000, -2_000];
/** Instance 2 restarted this far behind: beyond both leeways. */
const BEYOND_MS = -30_000;

/**
 * Issue 10 item 3 (part): instances whose clocks disagree. Within the documented leeways (resource.leeway on JWT
 * access tokens' exp/nbf/iat, dpop.leeway on proofs' iat and on other instances' nonces) every flow works across
 * instances; beyond them an instance refuses, as documented, a JWT that by its clock was issued in the future
 * (401 invalid_token) and a DPoP proof made after its "now" (invalid_dpop_proof).
 */
describe.each(PLATFORMS)(`clock skew between three instances on %s/${clusterDatabaseKind()}`, (platform) => {
  let cluster: Cluster;
  let browser: TestBrowser;

  beforeAll(async () => {
    cluster = await Cluster.start({ platform, skewMs: WITHIN_MS });
    browser = clusterBrowser(cluster);
  }, CLUSTER_BOOT_TIMEOUT_MS);
  afterAll(() => cluster?.stop());

  /** A JWT access token for alice minted by instance `index` (a refresh there), and the next refresh token. */
  async function jwtFrom(index: number, refreshToken: string): Promise<{ jwt: string; refreshToken: string }> {
    const tokens = tokensOf(await refresh(cluster.instanceUrl(index), 'demo-spa', refreshToken));
    return { jwt: tokens.accessToken, refreshToken: tokens.refreshToken! };
  }

  it('runs the code flow across skewed instances, and each one accepts the JWTs every other one minted', async () => {
    const from = cluster.proxy.routed.length;
    const first = tokensOf(await redeem(cluster.url, await browserCode(browser, 'demo-spa', SCOPE)));
    expect(new Set(cluster.proxy.routed.slice(from)).size).toBe(3);
    let refreshToken = first.refreshToken!;
    const minted: string[] = [];
    for (let i = 0; i < cluster.size; i += 1) ({ jwt: minted[i], refreshToken } = await jwtFrom(i, refreshToken));
    const iats = minted.map((jwt) => Number(decodeJwt(jwt).iat));
    expect(Math.max(...iats) - Math.min(...iats)).toBeGreaterThanOrEqual(3); // the skew shows in the tokens
    for (const jwt of minted) {
      for (let i = 0; i < cluster.size; i += 1) expect((await getApi(cluster.instanceUrl(i), '/api/me', jwt)).status).toBe(200);
    }
    // A code issued by the instance ahead, redeemed by the one behind (and the other way round).
    for (const [issuer, redeemer] of [[1, 2], [2, 1]] as const) {
      const pinned = new TestBrowser({ url: cluster.instanceUrl(issuer), issuer: cluster.url }, browser.jar);
      const issued = await browserCode(pinned, 'demo-spa', SCOPE);
      tokensOf(await redeem(cluster.instanceUrl(redeemer), issued));
    }
  });

  it('takes DPoP proofs and nonces across skewed instances', async () => {
    const key = await DpopKey.generate();
    const htu = `${cluster.url}/oauth/token`;
    const form = { grant_type: 'client_credentials', scope: 'profile' };
    for (const [giver, taker] of [[1, 2], [2, 1], [0, 2]] as const) {
      const challenge = await tokenPost(cluster.instanceUrl(giver), 'demo-client', form, { dpop: await key.proof('POST', htu) });
      expectError(challenge, 400, 'use_dpop_nonce');
      const nonce = challenge.headers.get('dpop-nonce')!;
      const issued = await tokenPost(cluster.instanceUrl(taker), 'demo-client', form, { dpop: await key.proof('POST', htu, { nonce }) });
      expect(issued.status, issued.text).toBe(200);
      const token = String(issued.body.access_token);
      const htuApi = `${cluster.url}/api/me`;
      for (let i = 0; i < cluster.size; i += 1) {
        const proof = await key.proof('GET', htuApi, { accessToken: token, nonce });
        const res = await request(`${cluster.instanceUrl(i)}/api/me`, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
        expect(res.status, res.text).toBe(200);
      }
    }
  });

  it(`beyond the leeways (an instance ${BEYOND_MS / 1000} s behind): refuses JWTs from its future and DPoP proofs made after its now`, { timeout: 150_000 }, async () => {
    await cluster.kill(2);
    await cluster.startInstance(2, BEYOND_MS);
    const start = tokensOf(await redeem(cluster.instanceUrl(0), await browserCode(browser, 'demo-spa', SCOPE)));
    const { jwt } = await jwtFrom(0, start.refreshToken!);
    expect((await getApi(cluster.instanceUrl(0), '/api/me', jwt)).status).toBe(200);
    const refused = await getApi(cluster.instanceUrl(2), '/api/me', jwt);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const key = await DpopKey.generate();
    const htu = `${cluster.url}/oauth/token`;
    const form = { grant_type: 'client_credentials', scope: 'profile' };
    const behind = cluster.instanceUrl(2);
    const nonce = (await tokenPost(behind, 'demo-client', form, { dpop: await key.proof('POST', htu) })).headers.get('dpop-nonce')!;
    expectError(await tokenPost(behind, 'demo-client', form, { dpop: await key.proof('POST', htu, { nonce }) }), 400, 'invalid_dpop_proof');
    // The same proof, made by a client whose clock agrees with that instance, is taken.
    const agreeing = await key.proof('POST', htu, { nonce, iat: Math.floor((Date.now() + BEYOND_MS) / 1000) });
    expect((await tokenPost(behind, 'demo-client', form, { dpop: agreeing })).status).toBe(200);
  });
});
