/**
 * `AuthAdminService` grants, purge and signing keys inside a booted app (issue 11 item 2): revoking a user's grants
 * makes their tokens inactive at introspection and at the bearer guard at once (cached verifications included), their
 * refresh tokens refused, their consents forgotten, and leaves other users' and clients' tokens alone; the purge
 * deletes expired rows; rotating publishes a key in the JWKS at once, retiring a key that never signed removes it,
 * retiring the signing key is refused, revoking removes a key at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenEntity, AuthAdminError, type ClientSeed } from '../../src/index.js';
import { authnestDataSource, getMe, issueToken, publishedKids } from '../support/app-helpers.js';
import { tableRows } from '../support/authorization-flow.js';
import { WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { RS, adminOf, aliceTokens, bootAdminApp, expectActive, refresh, type SeenEvent } from './support.js';

const SVC: ClientSeed & { clientSecret: string } = { clientId: 'svc', clientSecret: 'svc-secret-000001', scopes: ['posts:read'] };

describe.each(testMatrix())('AuthAdminService grants and keys on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 2, 1, 9, 0, 0));
  let t: TestApp;
  let events: SeenEvent[];

  beforeAll(async () => {
    ({ t, events } = await bootAdminApp(platform, db, { clock, options: { clients: [WEB, RS, SVC] } }));
  });
  afterAll(() => t?.close());

  it("revokes a user's grants: tokens inactive at once, refresh refused, consents forgotten, others untouched", async () => {
    const alice = await aliceTokens(t);
    const service = await issueToken(t.url, SVC.clientId, SVC.clientSecret);
    for (const token of [alice.access, service]) expect((await getMe(t.url, token)).status).toBe(200);
    expect((await tableRows(t.app, 'ConsentEntity')).length).toBe(1);

    const revoked = await adminOf(t).revokeGrants({ subject: 'user-alice' });
    expect(revoked).toMatchObject({ owner: { subject: 'user-alice' }, accessTokens: 1, refreshTokens: 1, consents: 1 });
    expect((await getMe(t.url, alice.access)).status).toBe(401);
    await expectActive(t, alice.access, false);
    await expectActive(t, alice.refresh, false);
    expectOAuthError(await refresh(t, alice.refresh), 400, 'invalid_grant');
    expect((await tableRows(t.app, 'ConsentEntity')).length).toBe(0);
    expect((await getMe(t.url, service)).status).toBe(200);
    await expectActive(t, service, true);
    expect(events).toContainEqual({ name: 'authnest.grants.revoked', payload: expect.objectContaining({ subject: 'user-alice', count: 2, source: 'admin-service' }) });

    expect(await adminOf(t).revokeGrants({ clientId: SVC.clientId })).toMatchObject({ accessTokens: 1 });
    expect((await getMe(t.url, service)).status).toBe(401);
    await expectActive(t, service, false);
    for (const owner of [{}, { subject: '' }, { subject: 'a', clientId: 'b' }, { subject: 42 }] as never[]) {
      await expect(adminOf(t).revokeGrants(owner)).rejects.toBeInstanceOf(AuthAdminError);
    }
  });

  it('purges expired rows', async () => {
    await issueToken(t.url, SVC.clientId, SVC.clientSecret);
    const tokens = authnestDataSource(t.app).getRepository(AccessTokenEntity);
    expect(await tokens.count()).toBeGreaterThan(0);
    clock.advance(2 * 86_400);
    expect(await adminOf(t).purgeExpired()).toBeGreaterThan(0);
    expect(await tokens.count()).toBe(0);
  });

  it('rotates, retires and revokes signing keys, with the JWKS following at once', async () => {
    const admin = adminOf(t);
    const [first] = await admin.listKeys();
    expect(first).toMatchObject({ state: 'active', signing: true });
    await expect(admin.retireKey(first!.kid)).rejects.toMatchObject({ reason: 'refused' });

    const cancelled = await admin.rotateKey();
    expect(await publishedKids(t.url)).toContain(cancelled.kid);
    expect(await admin.retireKey(cancelled.kid)).toMatchObject({ kid: cancelled.kid, state: 'retired' });
    expect(await publishedKids(t.url)).not.toContain(cancelled.kid);

    const next = await admin.rotateKey();
    clock.advance(901);
    expect((await admin.listKeys()).find((key) => key.kid === next.kid)).toMatchObject({ state: 'active', signing: true });
    const old = await admin.retireKey(first!.kid);
    expect(old).toMatchObject({ state: 'retiring', signing: false });
    expect(await publishedKids(t.url)).toEqual(expect.arrayContaining([first!.kid, next.kid]));

    expect(await admin.revokeKey(first!.kid)).toMatchObject({ state: 'revoked' });
    expect(await publishedKids(t.url)).not.toContain(first!.kid);
    await expect(admin.revokeKey('no-such-key')).rejects.toMatchObject({ reason: 'not_found' });
    await expect(admin.retireKey(first!.kid)).rejects.toMatchObject({ reason: 'refused' });

    expect(events).toContainEqual({ name: 'authnest.key.rotated', payload: expect.objectContaining({ kid: next.kid, source: 'admin-service' }) });
    expect(events).toContainEqual({ name: 'authnest.key.retired', payload: expect.objectContaining({ kid: cancelled.kid, immediate: false }) });
    expect(events).toContainEqual({ name: 'authnest.key.retired', payload: expect.objectContaining({ kid: first!.kid, immediate: true }) });
  });

  it('reports the migration status', async () => {
    const status = await adminOf(t).migrationStatus();
    expect(status.upToDate).toBe(true);
    expect(status.pending).toEqual([]);
    expect(status.applied).toContain('AuthnestInitial1763900000000');
  });
});
