import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_EVENTS, AuditTrail, TokenPurgeService } from '../../src/index.js';
import { AuthnestAuditEvents1765200000000 } from '../../src/persistence/migrations/1765200000000-authnest-audit-events.js';
import { authnestDataSource, requestToken } from '../support/app-helpers.js';
import { tableRows } from '../support/authorization-flow.js';
import { bootFlowApp, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { SecretLedger, tokenIdOf, webLogin } from './support.js';

const SERVICE = { clientId: 'svc', clientSecret: 'svc-secret-0000001', grantTypes: ['client_credentials'], scopes: ['posts:read'] };

/**
 * The audit table (`audit: { store: true }`) in a host app without `EventEmitterModule`: events still reach the table;
 * `AuditTrail.list()` reads them back as emitted, by client, subject, name and time, newest first; rows hold the
 * indexed columns and the event as JSON, never a secret; the purge deletes rows older than `audit.retention`; the
 * migration builds exactly the entity.
 */
describe.each(testMatrix())('audit table without an event emitter on %s/%s', (platform, db) => {
  let t: TestApp;
  let trail: AuditTrail;
  const clock = new FakeClock();
  const secrets = new SecretLedger();
  let accessToken: string;

  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clock, clients: [WEB, SERVICE], options: { audit: { store: true, retention: 3600 } } });
    trail = t.app.get(AuditTrail);
    secrets.add(WEB.clientSecret, SERVICE.clientSecret, 'alice-password', 'wrong-secret-000001');
    await webLogin(t, secrets);
    clock.advance(10);
    const res = await requestToken(t.url, 'svc', SERVICE.clientSecret);
    secrets.addTokens(res);
    accessToken = res.body.access_token as string;
    expect((await requestToken(t.url, 'svc', 'wrong-secret-000001')).status).toBe(401);
  });
  afterAll(() => t?.close());

  it('stores the events of the boot and of the requests, read back newest first as they were emitted', async () => {
    await trail.flush();
    const records = await trail.list();
    expect(records.map((record) => record.name).slice(0, 2)).toEqual([AUTH_EVENTS.clientAuthenticationFailed, AUTH_EVENTS.tokenIssued]);
    expect(records[0]!.event).toMatchObject({ clientId: 'svc', method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'bad_secret', at: clock.now() });
    expect(records[1]!.event).toMatchObject({ clientId: 'svc', grantType: 'client_credentials', tokenId: tokenIdOf(accessToken) });
    const names = new Set(records.map((record) => record.name));
    for (const name of [AUTH_EVENTS.keyRotated, AUTH_EVENTS.clientRegistered, AUTH_EVENTS.loginSucceeded, AUTH_EVENTS.consentGranted]) expect(names.has(name), name).toBe(true);
    const ats = records.map((record) => record.event.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    await secrets.expectNoneIn(records);
  });

  it('filters by client, subject, name, time and count', async () => {
    const bySubject = await trail.list({ subject: 'user-alice' });
    expect(bySubject.length).toBeGreaterThanOrEqual(3);
    expect(bySubject.every((record) => 'subject' in record.event && record.event.subject === 'user-alice')).toBe(true);
    expect((await trail.list({ clientId: 'svc' })).map((record) => record.name)).toEqual([AUTH_EVENTS.clientAuthenticationFailed, AUTH_EVENTS.tokenIssued, AUTH_EVENTS.clientRegistered]);
    expect((await trail.list({ clientId: 'svc', name: AUTH_EVENTS.tokenIssued })).map((record) => record.event.at)).toEqual([clock.now()]);
    expect(await trail.list({ clientId: 'svc', since: new Date(clock.now()) })).toHaveLength(2);
    expect(await trail.list({ clientId: 'svc', until: clock.now() })).toHaveLength(1);
    expect(await trail.list({ limit: 1 })).toHaveLength(1);
    await expect(trail.list({ limit: 0 })).rejects.toThrow(RangeError);
    await expect(trail.list({ limit: 1001 })).rejects.toThrow(RangeError);
  });

  it('keeps the indexed columns and the event as JSON in each row', async () => {
    const rows = await tableRows(t.app, 'AuditEventEntity');
    const row = rows.find((candidate) => candidate.name === AUTH_EVENTS.tokenIssued && candidate.client_id === 'svc')!;
    expect(row).toMatchObject({ client_id: 'svc', subject: null });
    expect(Number(row.at)).toBe(clock.now());
    expect(JSON.parse(row.data as string)).toMatchObject({ clientId: 'svc', grantType: 'client_credentials', tokenId: tokenIdOf(accessToken) });
    const login = rows.find((candidate) => candidate.name === AUTH_EVENTS.loginSucceeded)!;
    expect(login).toMatchObject({ client_id: 'web', subject: 'user-alice' });
    await secrets.expectNoneIn(rows);
  });

  it('deletes rows older than audit.retention on purge, and keeps the newer ones', async () => {
    const before = (await trail.list({ limit: 1000 })).length;
    clock.advance(3600 - 5);
    // The login was 10 s before the client_credentials requests: now more than an hour ago; those not yet.
    await t.app.get(TokenPurgeService).purgeExpired();
    const left = await trail.list({ limit: 1000 });
    expect(left.length).toBeLessThan(before);
    expect(left.map((record) => record.name).sort()).toEqual([AUTH_EVENTS.clientAuthenticationFailed, AUTH_EVENTS.tokenIssued]);
    clock.advance(10);
    expect(await trail.purge()).toBe(2);
  });

  it('has a migration that builds exactly the entity (no schema drift), and reverts', async () => {
    const dataSource = authnestDataSource(t.app);
    const drift = async () => (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => q.query.includes('authnest_audit_events'));
    expect(await drift()).toEqual([]);
    const runner = dataSource.createQueryRunner();
    const migration = new AuthnestAuditEvents1765200000000();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('authnest_audit_events')).toBe(false);
      await migration.up(runner);
      expect(await runner.hasTable('authnest_audit_events')).toBe(true);
    } finally {
      await runner.release();
    }
    expect(await drift()).toEqual([]);
  });
});
