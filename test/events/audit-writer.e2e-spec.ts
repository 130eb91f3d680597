import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_EVENTS, AuditTrail, type ClientSeed } from '../../src/index.js';
import { authnestDataSource, requestToken } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { tokenIdOf } from './support.js';

const SERVICE: ClientSeed = { clientId: 'svc', clientSecret: 'svc-secret-0000001', grantTypes: ['client_credentials'], scopes: ['posts:read'] };

/** Renames the audit table (`to`), as an outage of that table looks to the writer; resolves a function that undoes it. */
async function hideAuditTable(t: TestApp): Promise<() => Promise<void>> {
  const dataSource = authnestDataSource(t.app);
  const { schema, tableName } = dataSource.getMetadata('AuditEventEntity');
  const qualified = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
  const away = `${tableName}_away`;
  await dataSource.query(`ALTER TABLE ${qualified(tableName)} RENAME TO "${away}"`);
  return async () => {
    await dataSource.query(`ALTER TABLE ${qualified(away)} RENAME TO "${tableName}"`);
  };
}

/**
 * The audit writer: `audit.events` keeps only the events named; an audit table that cannot be written never fails a
 * request (its batches are dropped, with one warning per outage, and writing resumes after); what waits in memory is
 * written at shutdown.
 */
describe.each(testMatrix())('audit writer on %s/%s', (platform, db) => {
  let t: TestApp;
  let trail: AuditTrail;

  beforeAll(async () => {
    t = await bootTestApp({ platform, db, options: { scopes: ['posts:read'], clients: [SERVICE], audit: { store: true, events: [AUTH_EVENTS.tokenIssued] } } });
    trail = t.app.get(AuditTrail);
  });
  afterAll(() => t?.close());
  afterEach(() => vi.restoreAllMocks());

  it('stores only the events audit.events names', async () => {
    const res = await requestToken(t.url, 'svc', SERVICE.clientSecret!);
    expect((await requestToken(t.url, 'svc', 'wrong-secret-000001')).status).toBe(401);
    await trail.flush();
    const records = await trail.list();
    expect(records.map((record) => record.name)).toEqual([AUTH_EVENTS.tokenIssued]);
    expect(records[0]!.event).toMatchObject({ clientId: 'svc', tokenId: tokenIdOf(res.body.access_token as string) });
  });

  it('answers requests while the table cannot be written, warns once per outage, and writes again after it', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const log = vi.spyOn(Logger.prototype, 'log');
    const restore = await hideAuditTable(t);
    try {
      for (let round = 0; round < 2; round += 1) {
        const res = await requestToken(t.url, 'svc', SERVICE.clientSecret!);
        expect(res.status, res.text).toBe(200);
        await trail.flush();
      }
    } finally {
      await restore();
    }
    const warnings = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('Audit events are being dropped'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toMatch(/svc-secret|INSERT|VALUES/);

    const res = await requestToken(t.url, 'svc', SERVICE.clientSecret!);
    await trail.flush();
    expect(log.mock.calls.map(([message]) => String(message)).some((message) => /Audit writes resumed \(2 events dropped\)/.test(message))).toBe(true);
    const records = await trail.list();
    expect(records.map((record) => record.name)).toEqual([AUTH_EVENTS.tokenIssued, AUTH_EVENTS.tokenIssued]);
    expect(records[0]!.event).toMatchObject({ tokenId: tokenIdOf(res.body.access_token as string) });
  });
});

describe.each(testMatrix())('audit writer at shutdown on %s/%s', (platform, db) => {
  const fresh = freshDatabase(db);
  afterAll(() => fresh.drop());

  it('writes what waits in memory before the database closes', async () => {
    const options = { scopes: ['posts:read'], clients: [SERVICE], audit: { store: true } };
    const first = await bootTestApp({ platform, db, database: fresh.database, options });
    const res = await requestToken(first.url, 'svc', SERVICE.clientSecret!);
    expect(res.status).toBe(200);
    await first.close();
    const second = await bootTestApp({ platform, db, database: fresh.database, options });
    try {
      const issued = await second.app.get(AuditTrail).list({ name: AUTH_EVENTS.tokenIssued });
      expect(issued).toHaveLength(1);
      expect(issued[0]!.event).toMatchObject({ clientId: 'svc', tokenId: tokenIdOf(res.body.access_token as string) });
    } finally {
      await second.close();
    }
  });
});
