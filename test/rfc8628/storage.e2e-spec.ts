import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenPurgeService } from '../../src/index.js';
import { AuthnestDeviceAuthorization1764300000000 } from '../../src/persistence/migrations/1764300000000-authnest-device-authorization.js';
import { AuthnestDeviceResources1764700000001 } from '../../src/persistence/migrations/1764700000001-authnest-device-resources.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { approveInBrowser, bootDeviceApp, enterCode, poll, startDevice, TestBrowser, TV } from './support/device-app.js';

const TABLES = ['DeviceCodeEntity', 'InteractionEntity', 'RateLimitEntity', 'AccessTokenEntity', 'RefreshTokenEntity', 'SessionEntity', 'ConsentEntity'];

/**
 * Storage at rest (checklist K81): a device code is kept as its SHA-256, a user code as an HMAC under a key derived
 * from the encryption secret (a plain hash of 34.5 bits would be reversed by trying them all); neither appears
 * anywhere in the database, and a stored value redeems nothing. The migration builds exactly the entity's table on
 * both databases, and expired requests and finished rate-limit windows are purged.
 */
describe.each(testMatrix())('device flow storage on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, {
      clock,
      options: { deviceFlow: { userCodeRateLimit: { perAddress: { max: 30, window: 3600 }, perBrowser: { max: 10, window: 900 } } } },
    });
  });
  afterAll(() => t?.close());

  it('keeps only hashes of both codes, in no table in clear, and a stored value redeems nothing', async () => {
    const grant = await startDevice(t, TV, { scope: 'openid profile' });
    const pending = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), grant.userCode);
    const tokens = await poll(t, TV, grant.deviceCode);
    expect(tokens.status).toBe(200);
    const row = (await tableRows(t.app, 'DeviceCodeEntity')).find((r) => r.device_code_hash === sha256(grant.deviceCode))!;
    expect(row).toMatchObject({ client_id: 'tv', status: 'approved', account_id: 'user-alice' });
    expect(String(row.user_code_hash)).toMatch(/^[0-9a-f]{64}$/);
    const normalized = grant.userCode.replace('-', '');
    expect(row.user_code_hash).not.toBe(sha256(normalized)); // keyed: not a hash anyone can recompute
    expect(row.user_code_hash).not.toBe(sha256(grant.userCode));
    const dump = JSON.stringify(await Promise.all(TABLES.map((entity) => tableRows(t.app, entity))));
    for (const { deviceCode, userCode } of [grant, pending]) {
      for (const clear of [deviceCode, userCode, userCode.replace('-', ''), userCode.toLowerCase()]) expect(dump).not.toContain(clear);
    }
    expectOAuthError(await poll(t, TV, String(row.device_code_hash)), 400, 'invalid_grant');
    const pendingRow = (await tableRows(t.app, 'DeviceCodeEntity')).find((r) => r.device_code_hash === sha256(pending.deviceCode))!;
    expect((await enterCode(new TestBrowser(t), String(pendingRow.user_code_hash))).status).toBe(400);
  });

  it('shares one grant id between the request and its tokens: revoking the refresh token revokes the access token', async () => {
    const grant = await startDevice(t);
    await approveInBrowser(new TestBrowser(t), grant.userCode);
    const tokens = await poll(t, TV, grant.deviceCode);
    const row = (await tableRows(t.app, 'DeviceCodeEntity')).find((r) => r.device_code_hash === sha256(grant.deviceCode))!;
    const access = (await tableRows(t.app, 'AccessTokenEntity')).find((r) => r.token_hash === sha256(String(tokens.body.access_token)))!;
    expect(access.grant_id).toBe(row.id);
    expect((await postForm(`${t.url}/oauth/revoke`, { token: String(tokens.body.refresh_token), client_id: TV.clientId })).status).toBe(200);
    const revoked = (await tableRows(t.app, 'AccessTokenEntity')).find((r) => r.token_hash === sha256(String(tokens.body.access_token)))!;
    expect(revoked.revoked_at).not.toBeNull();
  });

  it('has a migration that builds exactly the entity (no schema drift), and reverts', async () => {
    const dataSource = authnestDataSource(t.app);
    const drift = async () => (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => q.query.includes('authnest_device_codes'));
    expect(await drift()).toEqual([]);
    const runner = dataSource.createQueryRunner();
    try {
      await new AuthnestDeviceResources1764700000001().down(runner);
      await new AuthnestDeviceAuthorization1764300000000().down(runner);
      expect(await runner.hasTable('authnest_device_codes')).toBe(false);
      await new AuthnestDeviceAuthorization1764300000000().up(runner);
      expect(await runner.hasTable('authnest_device_codes')).toBe(true);
      // Later migrations that add columns to the table (RFC 8707 resources).
      await new AuthnestDeviceResources1764700000001().up(runner);
    } finally {
      await runner.release();
    }
    expect(await drift()).toEqual([]);
  });

  it('purges expired requests, and device rate-limit windows only once they are over', async () => {
    const old = await startDevice(t);
    await enterCode(new TestBrowser(t), 'BCDF-GHJK');
    clock.advance(601);
    const fresh = await startDevice(t);
    await t.app.get(TokenPurgeService).purgeExpired();
    const hashes = (await tableRows(t.app, 'DeviceCodeEntity')).map((r) => r.device_code_hash);
    expect(hashes).not.toContain(sha256(old.deviceCode));
    expect(hashes).toContain(sha256(fresh.deviceCode));
    // The per-address window (3600 s) is longer than any login window (900 s): its counter must survive until it ends.
    clock.advance(1000);
    await t.app.get(TokenPurgeService).purgeExpired();
    const keys = () => tableRows(t.app, 'RateLimitEntity').then((rows) => rows.map((r) => String(r.key)));
    expect(await keys()).toContain(`device:addr:${sha256('127.0.0.1')}`);
    clock.advance(2000);
    await t.app.get(TokenPurgeService).purgeExpired();
    expect(await keys()).not.toContain(`device:addr:${sha256('127.0.0.1')}`);
  });
});
