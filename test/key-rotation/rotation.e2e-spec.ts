/**
 * Signing-key rotation on one instance with tokens outstanding (issue 8 item 5): `SigningKeys.rotate()` publishes the
 * next key at once and every signer (access tokens, ID tokens) switches at its activation instant; tokens of the old
 * key keep verifying locally, at a standalone resource server (which refetches the JWKS once, for the unknown kid)
 * and against the JWKS, until the old key is retired after the longest lifetime + margin. `revoke(kid)` removes a
 * key at once: a revoked signing key is replaced at once, a revoked pending key is simply cancelled.
 * Lifetimes: access tokens 600 s, ID tokens 300 s, so a superseded key is published for 600 + 300 s after its
 * successor activates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenPurgeService } from '../../src/index.js';
import { MeController, kidOf } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { bootResourceServer, callApi, JWKS_PATH, type ResourceServerApp } from '../resource-server/support/resource-server-app.js';
import { expectLocal, jwksKids, ROTATION, signingKeys, signingKid, states, storedKeys, svcToken, SVC, verifyWithPublishedKeys } from './support/rotation-helpers.js';

const RETENTION = 600 + 300;

describe.each(testMatrix())('signing-key rotation on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2032, 0, 1, 8, 0, 0));
  let proxy: CountingProxy;
  let t: TestApp;
  let rs: ResourceServerApp;
  let oldKid: string;
  let newKid: string;
  let lateToken: string;
  let lateIdToken: string;

  beforeAll(async () => {
    proxy = await CountingProxy.start();
    t = await bootOidcApp(platform, db, {
      clock,
      controllers: [MeController],
      clients: [RP, SVC],
      options: { issuer: proxy.url, accessToken: { ttl: 600 }, oidc: { idTokenTtl: 300 }, signing: ROTATION },
    });
    proxy.target = t.url;
    rs = await bootResourceServer({ platform, clock, options: { issuer: proxy.url, audience: proxy.url, jwks: { refetchInterval: 60, cacheTtl: 3600 } } });
  });
  afterAll(async () => {
    await rs?.close();
    await t?.close();
    await proxy?.stop();
  });

  it('publishes the rotated key at once and signs with the old one until the activation instant', async () => {
    const first = await svcToken(t);
    oldKid = kidOf(first);
    expect((await callApi(rs, '/api/me', first)).status).toBe(200);
    expect(proxy.count(JWKS_PATH)).toBe(1);

    const rotated = await signingKeys(t).rotate();
    newKid = rotated.kid;
    expect(rotated).toEqual({ kid: newKid, alg: 'ES256', activatesAt: new Date(clock.now() + 900_000) });
    expect(await jwksKids(t)).toEqual([oldKid, newKid].sort());
    expect(await states(t)).toEqual({ [oldKid]: 'active', [newKid]: 'pending' });

    clock.advance(899);
    lateToken = await svcToken(t);
    expect(kidOf(lateToken)).toBe(oldKid);
    lateIdToken = (await oidcLogin(t, RP)).idToken;
    expect(kidOf(lateIdToken)).toBe(oldKid);
  });

  it('switches every signer at activation; both keys verify locally, at the resource server (one refetch) and with the JWKS', async () => {
    clock.advance(1);
    const token = await svcToken(t);
    expect(kidOf(token)).toBe(newKid);
    const login = await oidcLogin(t, RP);
    expect(kidOf(login.idToken)).toBe(newKid);
    expect(kidOf(login.tokens.access_token as string)).toBe(newKid);
    expect(await states(t)).toEqual({ [oldKid]: 'retiring', [newKid]: 'active' });

    for (const accessToken of [lateToken, token]) await expectLocal(t, accessToken, 200);
    // The resource server cached the JWKS before the rotation: the new kid makes it fetch once more.
    for (const accessToken of [token, lateToken, await svcToken(t)]) expect((await callApi(rs, '/api/me', accessToken)).status).toBe(200);
    expect(proxy.count(JWKS_PATH)).toBe(2);
    for (const idToken of [lateIdToken, login.idToken]) {
      expect(await verifyWithPublishedKeys(t, idToken, clock)).toMatchObject({ aud: RP.clientId, sub: 'user-alice' });
    }
  });

  it("keeps the old key published until activation + the longest lifetime + margin, then the purge deletes it", async () => {
    clock.advance(RETENTION - 1);
    expect(await jwksKids(t)).toContain(oldKid);
    await t.app.get(TokenPurgeService).purgeExpired();
    expect((await storedKeys(t)).map((key) => key.kid)).toContain(oldKid);

    clock.advance(1);
    expect(await jwksKids(t)).toEqual([newKid]);
    expect(await states(t)).toEqual({ [oldKid]: 'retired', [newKid]: 'active' });
    await t.app.get(TokenPurgeService).purgeExpired();
    expect((await storedKeys(t)).map((key) => key.kid)).toEqual([newKid]);
  });

  it('revoking the signing key drops it from the JWKS at once and a replacement signs at once', async () => {
    const before = await svcToken(t);
    const revoked = await signingKeys(t).revoke(newKid);
    expect(revoked).toMatchObject({ kid: newKid, state: 'revoked', signing: false, revokedAt: new Date(clock.now()) });
    const replacement = await signingKid(t);
    expect(replacement).not.toBe(newKid);
    expect(await jwksKids(t)).toEqual([replacement]);
    await expectLocal(t, before, 401);
    const stored = (await storedKeys(t)).find((key) => key.kid === newKid)!;
    expect(stored).toMatchObject({ status: 'revoked', privateJwkEncrypted: '' });

    // The resource server fetches again for the replacement's kid; from then on the revoked key's tokens fail.
    clock.advance(60);
    const after = await svcToken(t);
    expect((await callApi(rs, '/api/me', after)).status).toBe(200);
    expect((await callApi(rs, '/api/me', before)).status).toBe(401);
    expect(await verifyWithPublishedKeys(t, after, clock)).toMatchObject({ client_id: SVC.clientId });
    newKid = replacement;
  });

  it('revoking a pending key cancels it: the signing key signs on and stays published; revoke is idempotent', async () => {
    const pending = await signingKeys(t).rotate();
    const first = await signingKeys(t).revoke(pending.kid);
    expect(first.state).toBe('revoked');
    expect(await jwksKids(t)).toEqual([newKid]);
    clock.advance(1000);
    expect(await signingKid(t)).toBe(newKid);
    expect(await jwksKids(t)).toEqual([newKid]);
    expect(await signingKeys(t).revoke(pending.kid)).toEqual(first);
  });

  it('refuses to revoke a key that does not exist, or a malformed kid', async () => {
    await expect(signingKeys(t).revoke('no-such-key')).rejects.toThrow('no signing key no-such-key');
    await expect(signingKeys(t).revoke('x'.repeat(65))).rejects.toThrow('1 to 64 printable characters');
    expect(await jwksKids(t)).toEqual([newKid]);
  });
});
