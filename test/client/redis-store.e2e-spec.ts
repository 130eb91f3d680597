import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { RedisRig } from './support/redis-rig.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * `OAuthClientModule` with `redis` as its store, two instances of the client app behind a load balancer sharing one
 * real redis-server: the browser login (OpenID Connect Core 3.1, RFC 7636) and the session's refresh (RFC 6749
 * section 6) work whichever instance a request lands on; login attempts are single use and the refresh is done once
 * between the instances (a lock in Redis); what Redis holds is only key hashes and sealed values.
 */
describe.each(testMatrix())('OAuth client: the store in Redis, two instances, on %s/%s', (platform, db) => {
  let rig: RedisRig;

  beforeAll(async () => {
    rig = await RedisRig.start(platform, db);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('signs alice in on one instance: /me sees her, logout ends the session and goes through the provider', async () => {
    rig.route(rig.a);
    const browser = rig.newBrowser();
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(401);
    const authorize = await rig.startLogin(browser);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const done = await browser.get(await rig.authorize(browser, authorize));
    expect(done.status, done.text).toBe(303);
    expect(done.headers.get('location')).toBe('/me');
    const me = await browser.get(`${rig.appUrl}/me`);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toEqual({ provider: 'provider', sub: 'user-alice', name: 'Alice Example', email: 'alice@example.com' });
    const out = await browser.post(`${rig.appUrl}/logout`, {});
    expect(out.status, out.text).toBe(303);
    expect(new URL(out.headers.get('location')!).pathname).toBe('/oauth/logout');
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(401);
    expect((await browser.get(`${rig.b.url}/me`)).status).toBe(401);
  });

  it('finishes on instance B a login started on A; the session made on B is seen on A; the callback is single use', async () => {
    const browser = rig.newBrowser();
    rig.route(rig.a);
    const callback = await rig.authorize(browser, await rig.startLogin(browser));
    const before = rig.balancer.count('/callback');
    rig.route(rig.b);
    const done = await browser.get(callback);
    expect(done.status, done.text).toBe(303);
    expect(rig.balancer.exchangesFor('/callback').length - before).toBe(1);
    for (const instance of [rig.a, rig.b]) {
      const me = await browser.get(`${instance.url}/me`);
      expect(me.status, me.text).toBe(200);
      expect(me.body.sub).toBe('user-alice');
    }
    rig.route(rig.a);
    expect((await browser.get(callback)).body).toEqual({ error: 'invalid_state' });
  });

  it('lets exactly one of concurrent callbacks with the same state through, across both instances', async () => {
    const browser = rig.newBrowser();
    rig.route(rig.a);
    const callback = new URL(await rig.authorize(browser, await rig.startLogin(browser)));
    const path = callback.pathname + callback.search;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => browser.get(`${(i % 2 === 0 ? rig.a : rig.b).url}${path}`)));
    expect(answers.filter((answer) => answer.status === 303)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 400).map((answer) => answer.body)).toEqual(Array.from({ length: 7 }, () => ({ error: 'invalid_state' })));
    expect((await browser.get(`${rig.b.url}/me`)).status).toBe(200);
  });

  it('refreshes the access token once for concurrent requests near expiry on one instance', async () => {
    const browser = await rig.signedIn();
    const first = (await browser.get(`${rig.a.url}/as-user/token`)).body.token as string;
    expect(first).toEqual(expect.any(String));
    const before = rig.refreshes();
    rig.clock.advance(3600 - 29); // inside refreshSkew (30 s)
    const answers = await Promise.all(Array.from({ length: 5 }, () => browser.get(`${rig.a.url}/as-user/token`)));
    const tokens = new Set(answers.map((answer) => answer.body.token));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(first);
    expect(rig.refreshes() - before).toBe(1);
    expect((await browser.get(`${rig.b.url}/as-user/token`)).body.token).toBe([...tokens][0]);
  });

  it('refreshes once between A and B for concurrent near-expiry requests on both (the lock in Redis)', async () => {
    const browser = await rig.signedIn();
    const first = (await browser.get(`${rig.b.url}/as-user/token`)).body.token as string;
    const keys = (await rig.entries()).size;
    const before = rig.refreshes();
    rig.clock.advance(3600 - 29);
    // A slow token endpoint, so that every request has read the old session while the one refresh is pending.
    Object.assign(rig.provider, { only: '/oauth/token', delayMs: 300 });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => browser.get(`${(i % 2 === 0 ? rig.a : rig.b).url}/as-user/token`))).finally(() =>
      rig.provider.reset(),
    );
    const tokens = new Set(answers.map((answer) => answer.body.token));
    expect(tokens.size, JSON.stringify([...tokens])).toBe(1);
    expect([...tokens][0]).toEqual(expect.any(String));
    expect([...tokens][0]).not.toBe(first);
    expect(rig.refreshes() - before).toBe(1);
    for (const instance of [rig.a, rig.b]) expect((await browser.get(`${instance.url}/me`)).status).toBe(200);
    expect((await rig.entries()).size).toBe(keys); // the session was replaced, the lock released
  });

  it('ends the session when the FakeClock passes sessionTtl, though Redis (on real time) still holds the key', async () => {
    const browser = await rig.signedIn();
    expect((await browser.get(`${rig.a.url}/me`)).status).toBe(200);
    const keys = (await rig.entries()).size;
    rig.clock.advance(86_400);
    expect((await rig.entries()).size).toBe(keys);
    expect((await browser.get(`${rig.a.url}/me`)).status).toBe(401);
    expect((await browser.get(`${rig.b.url}/me`)).status).toBe(401);
  });

  it('keeps in Redis only the key prefix and SHA-256 hashes as keys, and sealed values: no token, state or email', async () => {
    await rig.redis.flushall();
    const browser = rig.newBrowser();
    rig.route(rig.a);
    const authorize = await rig.startLogin(browser);
    const state = authorize.searchParams.get('state')!;
    expect([...(await rig.entries()).keys()]).toEqual([`authnest:client:${sha256(state)}`]);
    rig.route(rig.b);
    expect((await browser.get(await rig.authorize(browser, authorize))).status).toBe(303);
    const token = (await browser.get(`${rig.a.url}/as-user/token`)).body.token as string;
    const session = browser.jar.get('authnest_rp_session')!.value;
    const entries = await rig.entries();
    expect(entries.size).toBe(2); // the attempt was taken; the session and its UserInfo (OAuthUserInfo's cache) remain
    const secrets = [token, state, session, session.split('.')[0], 'alice@example.com', 'Alice Example', 'user-alice', 'web-app-secret-01'];
    for (const [key, value] of entries) {
      expect(key).toMatch(/^authnest:client:[0-9a-f]{64}$/);
      expect(value).toMatch(/^\d+(\.\d+)?:[^:\s]+$/); // <expiresAt>:<sealed value>
      for (const secret of secrets) {
        expect(key).not.toContain(secret);
        expect(value).not.toContain(secret);
        expect(value).not.toContain(Buffer.from(secret).toString('base64url'));
      }
    }
  });
});
