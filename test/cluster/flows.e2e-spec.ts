import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, type TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testKeyPair } from '../rfc7523/support/assertions.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { approveInBrowser, DEVICE_CODE_GRANT_TYPE, expectResult } from '../rfc8628/support/device-app.js';
import { Cluster, CLUSTER_BOOT_TIMEOUT_MS, CLUSTER_SETUPS } from './support/cluster.js';
import { clusterDatabaseKind, queryClusterDatabase } from './support/cluster-database.js';
import {
  assertionGrant,
  browserCode,
  clientAssertion,
  clusterBrowser,
  DEMO_API,
  expectError,
  getApi,
  isActive,
  json,
  loginForm,
  redeem,
  refresh,
  revoke,
  tokenPost,
  tokensOf,
  upstreamOf,
} from './support/cluster-flows.js';

const REUSE_GRACE_S = 2;

/** Asserts that the requests the proxy routed since `from` went round all three instances, never twice in a row. */
function expectSpread(cluster: Cluster, from: number): void {
  const routed = cluster.proxy.routed.slice(from);
  expect(new Set(routed).size).toBe(cluster.size);
  for (let i = 1; i < routed.length; i += 1) expect(routed[i]).not.toBe(routed[i - 1]);
}

/**
 * Issue 10 item 2: three processes of the sample's server (`dist/sample/cluster/main.js`) on one database, behind a
 * round-robin balancer that is their issuer; consecutive requests land on different processes. Every flow works
 * whatever instance serves each step, and what one instance decides (a code or refresh token used, a token revoked,
 * a login attempt counted) holds on the others: through the database on Express, through a shared Redis on Fastify
 * (REDIS_URL: rate limits counted there, revocations announced there, used DPoP proofs and assertions checked there).
 * What one instance accepted once (a DPoP proof, a client assertion's `jti`, a registration access token that was
 * rotated) is refused by the others; a client registered or changed through one is managed and used through the others.
 */
describe.each(CLUSTER_SETUPS)(`three instances behind a balancer on %s/${clusterDatabaseKind()}, replay checks and rate limits in the %s`, (platform, cache) => {
  const redis = cache === 'redis';
  let cluster: Cluster;
  let alice: TestBrowser | undefined;

  beforeAll(async () => {
    cluster = await Cluster.start({ platform, redis, env: { SAMPLE_REUSE_GRACE: String(REUSE_GRACE_S) } });
  }, CLUSTER_BOOT_TIMEOUT_MS);
  afterAll(() => cluster?.stop());

  /** A browser where alice is logged in and consented to demo-spa (logs in once). */
  async function aliceBrowser(): Promise<TestBrowser> {
    if (!alice) {
      alice = clusterBrowser(cluster);
      await browserCode(alice, 'demo-spa', 'openid profile posts:read');
    }
    return alice;
  }

  it('runs authorization code + PKCE through the login and consent pages, each step on another instance', async () => {
    const from = cluster.proxy.routed.length;
    const browser = clusterBrowser(cluster);
    const issued = await browserCode(browser, 'demo-client', 'openid profile email');
    const tokens = tokensOf(await redeem(cluster.url, issued));
    expect(decodeJwt(tokens.idToken!)).toMatchObject({ iss: cluster.url, sub: 'user-alice', aud: 'demo-client' });
    const me = await getApi(cluster.url, '/api/me', tokens.accessToken);
    expect(me.body).toMatchObject({ sub: 'user-alice', email: 'alice@example.com', client_id: 'demo-client' });
    expect((await getApi(cluster.url, '/oauth/userinfo', tokens.accessToken)).body).toMatchObject({ sub: 'user-alice', name: 'Alice Example' });
    expectSpread(cluster, from);

    // A replay at another instance is refused and revokes what the code gave, for every instance.
    expectError(await redeem(cluster.url, issued), 400, 'invalid_grant');
    for (let i = 0; i < cluster.size; i += 1) {
      expect(await isActive(cluster.instanceUrl(i), tokens.accessToken)).toBe(false);
      expect(await isActive(cluster.instanceUrl(i), tokens.refreshToken!)).toBe(false);
    }
  });

  it(`rotates refresh tokens across instances: grace (${REUSE_GRACE_S} s) honoured anywhere, a later reuse revokes the family everywhere`, async () => {
    const first = tokensOf(await redeem(cluster.url, await browserCode(await aliceBrowser(), 'demo-spa', 'openid profile posts:read')));
    const second = await refresh(cluster.url, 'demo-spa', first.refreshToken!);
    const third = await refresh(cluster.url, 'demo-spa', tokensOf(second).refreshToken!);
    expect(upstreamOf(third)).not.toBe(upstreamOf(second));
    const latest = tokensOf(third);
    // The second token, rotated moments ago on one instance, is presented again on the next: fresh tokens, nothing revoked.
    const retry = tokensOf(await refresh(cluster.url, 'demo-spa', tokensOf(second).refreshToken!));
    expect(await isActive(cluster.url, latest.refreshToken!)).toBe(true);
    expect(new Set([latest.refreshToken, retry.refreshToken]).size).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, (REUSE_GRACE_S + 1) * 1000));
    expectError(await refresh(cluster.url, 'demo-spa', first.refreshToken!), 400, 'invalid_grant');
    for (let i = 0; i < cluster.size; i += 1) {
      const base = cluster.instanceUrl(i);
      for (const token of [latest.refreshToken!, retry.refreshToken!, latest.accessToken, retry.accessToken]) expect(await isActive(base, token)).toBe(false);
      expectError(await refresh(base, 'demo-spa', retry.refreshToken!), 400, 'invalid_grant');
    }
  });

  it('refuses a revoked token on every instance: introspection and the guarded /api routes', async () => {
    const opaque = tokensOf(await tokenPost(cluster.url, 'demo-client', { grant_type: 'client_credentials', scope: 'profile posts:read' })).accessToken;
    for (let i = 0; i < cluster.size; i += 1) expect((await getApi(cluster.instanceUrl(i), '/api/posts', opaque)).status).toBe(200);
    expect((await revoke(cluster.url, 'demo-client', opaque)).status).toBe(200);
    for (let i = 0; i < cluster.size; i += 1) {
      expect(await isActive(cluster.instanceUrl(i), opaque)).toBe(false);
      expect((await getApi(cluster.instanceUrl(i), '/api/posts', opaque)).status).toBe(401);
    }

    // A JWT access token: the revoking instance and one that never verified it refuse it at once; an instance that
    // verified it before keeps its verification for up to resource.jwtCacheTtl (300 s), as documented, unless Redis
    // tells it of the revocation (published by the revoking instance; delivered within moments).
    const jwt = tokensOf(await redeem(cluster.url, await browserCode(await aliceBrowser(), 'demo-spa', 'profile posts:read'))).accessToken;
    expect((await getApi(cluster.instanceUrl(1), '/api/posts', jwt)).status).toBe(200);
    expect((await revoke(cluster.instanceUrl(0), 'demo-spa', jwt)).status).toBe(200);
    for (let i = 0; i < cluster.size; i += 1) expect(await isActive(cluster.instanceUrl(i), jwt)).toBe(false);
    expect((await getApi(cluster.instanceUrl(0), '/api/posts', jwt)).status).toBe(401);
    expect((await getApi(cluster.instanceUrl(2), '/api/posts', jwt)).status).toBe(401);
    if (!redis) expect((await getApi(cluster.instanceUrl(1), '/api/posts', jwt)).status).toBe(200);
    else await expect.poll(async () => (await getApi(cluster.instanceUrl(1), '/api/posts', jwt)).status, { timeout: 5_000 }).toBe(401);
  });

  it('issues client_credentials tokens that every instance introspects alike', async () => {
    const res = await tokenPost(cluster.url, 'demo-client', { grant_type: 'client_credentials', scope: 'posts:read' });
    const token = tokensOf(res).accessToken;
    const answers: Record<string, unknown>[] = [];
    for (let i = 0; i < cluster.size; i += 1) {
      answers.push((await postForm(`${cluster.instanceUrl(i)}/oauth/introspect`, { token }, { authorization: basic(DEMO_API.id, DEMO_API.secret) })).body);
    }
    expect(answers[0]).toMatchObject({ active: true, client_id: 'demo-client', scope: 'posts:read', iss: cluster.url });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('runs the device flow for demo-device, each step on another instance', async () => {
    const from = cluster.proxy.routed.length;
    const device = await postForm(`${cluster.url}/oauth/device_authorization`, { client_id: 'demo-device', scope: 'openid profile posts:read offline_access' });
    expect(device.status, device.text).toBe(200);
    const poll = () => tokenPost(cluster.url, 'demo-device', { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: String(device.body.device_code) });
    expectError(await poll(), 400, 'authorization_pending');
    const browser = clusterBrowser(cluster);
    await expectResult({ issuer: cluster.url }, browser, await approveInBrowser(browser, String(device.body.user_code)), 'approved');
    const tokens = tokensOf(await poll());
    expectError(await poll(), 400, 'invalid_grant');
    expect((await getApi(cluster.url, '/api/me', tokens.accessToken)).body).toMatchObject({ sub: 'user-alice', client_id: 'demo-device' });
    tokensOf(await refresh(cluster.url, 'demo-device', tokens.refreshToken!));
    expectSpread(cluster, from);
  });

  it('counts login attempts across instances: of 14 at once for one account, exactly 10 are checked', async () => {
    const from = cluster.proxy.routed.length;
    const attempt = await loginForm(cluster);
    const answers = await Promise.all(Array.from({ length: 14 }, () => attempt('mallory', 'wrong-password')));
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([...Array(10).fill(400), ...Array(4).fill(429)]);
    expect(new Set(cluster.proxy.routed.slice(from + 2)).size).toBe(cluster.size);
    // Limited on every instance, even with a password that would be right; another account is not.
    for (let i = 0; i < cluster.size; i += 1) expect((await attempt('mallory', 'mallory-password')).status).toBe(429);
    const other = await loginForm(cluster);
    expect((await other('alice', 'alice-password')).status).toBe(303);
    // Counted where the instances were told to count: Redis when they share one, else the database.
    const rows = await queryClusterDatabase(cluster.database, `SELECT "count" FROM authnest_rate_limits WHERE "key" = 'login:acct:${sha256('mallory')}'`);
    expect(rows.map((row) => Number(row.count))).toEqual(redis ? [] : [17]);
  });

  it('registers a private_key_jwt client on one instance, manages it on the others, and uses each assertion once', async () => {
    const key = await testKeyPair('ES256');
    const metadata = { client_name: 'cluster service', grant_types: ['client_credentials'], scope: 'posts:read', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key.publicJwk] } };
    const created = await json(`${cluster.url}/oauth/register`, 'POST', undefined, metadata);
    expect(created.status, created.text).toBe(201);
    const clientId = String(created.body.client_id);
    const uri = String(created.body.registration_client_uri);
    expect(uri.startsWith(`${cluster.url}/oauth/register/`)).toBe(true);
    const firstToken = String(created.body.registration_access_token);

    const read = await json(uri, 'GET', firstToken);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ client_id: clientId, client_name: 'cluster service', scope: 'posts:read' });
    const updated = await json(uri, 'PUT', firstToken, { ...metadata, client_id: clientId, client_name: 'renamed service' });
    expect(updated.status, updated.text).toBe(200);
    const secondToken = String(updated.body.registration_access_token);
    expect(secondToken).not.toBe(firstToken);
    // The token rotated by the PUT is refused by every instance; the new one works on each.
    for (let i = 0; i < cluster.size; i += 1) {
      expect((await json(uri.replace(cluster.url, cluster.instanceUrl(i)), 'GET', firstToken)).status).toBe(401);
      expect((await json(uri.replace(cluster.url, cluster.instanceUrl(i)), 'GET', secondToken)).body.client_name).toBe('renamed service');
    }

    const signed = await clientAssertion(key, clientId, cluster.url);
    const first = await postForm(`${cluster.url}/oauth/token`, assertionGrant(signed));
    expect(first.status, first.text).toBe(200);
    for (let i = 1; i < cluster.size; i += 1) {
      const replay = await postForm(`${cluster.url}/oauth/token`, assertionGrant(signed));
      expect(upstreamOf(replay)).not.toBe(upstreamOf(first));
      expectError(replay, 401, 'invalid_client');
    }

    expect((await json(uri, 'DELETE', secondToken)).status).toBe(204);
    for (let i = 0; i < cluster.size; i += 1) {
      const gone = await postForm(`${cluster.instanceUrl(i)}/oauth/token`, assertionGrant(await clientAssertion(key, clientId, cluster.url)));
      expectError(gone, 401, 'invalid_client');
    }
  });

  it('takes a DPoP nonce from one instance at the others, and refuses a proof used on one at the others', async () => {
    const key = await DpopKey.generate();
    const tokenHtu = `${cluster.url}/oauth/token`;
    const form = { grant_type: 'client_credentials', scope: 'profile' };
    const challenge = await tokenPost(cluster.url, 'demo-client', form, { dpop: await key.proof('POST', tokenHtu) });
    expectError(challenge, 400, 'use_dpop_nonce');
    const nonce = challenge.headers.get('dpop-nonce')!;
    const proof = await key.proof('POST', tokenHtu, { nonce });
    const issued = await tokenPost(cluster.url, 'demo-client', form, { dpop: proof });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.token_type).toBe('DPoP');
    expect(upstreamOf(issued)).not.toBe(upstreamOf(challenge));
    for (let i = 1; i < cluster.size; i += 1) {
      const replay = await tokenPost(cluster.url, 'demo-client', form, { dpop: proof });
      expect(upstreamOf(replay)).not.toBe(upstreamOf(issued));
      expectError(replay, 400, 'invalid_dpop_proof');
    }

    const token = String(issued.body.access_token);
    const apiHtu = `${cluster.url}/api/me`;
    const call = (dpop: string) => request(apiHtu, { headers: { authorization: `DPoP ${token}`, dpop } });
    const apiProof = await key.proof('GET', apiHtu, { accessToken: token, nonce });
    const used = await call(apiProof);
    expect(used.status, used.text).toBe(200);
    expect(used.body).toMatchObject({ sub: 'demo-client', client_id: 'demo-client' });
    for (let i = 1; i < cluster.size; i += 1) {
      const replay = await call(apiProof);
      expect(replay.status).toBe(401);
      expect(replay.headers.get('www-authenticate')).toContain('invalid_dpop_proof');
    }
    // A fresh proof works on every instance; the token without a proof does not.
    for (let i = 0; i < cluster.size; i += 1) expect((await call(await key.proof('GET', apiHtu, { accessToken: token, nonce }))).status).toBe(200);
    expect((await request(apiHtu, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
