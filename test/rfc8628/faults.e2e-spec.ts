import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { approveInBrowser, bootDeviceApp, deviceAuthorization, enterCode, poll, startDevice, TestBrowser, TV } from './support/device-app.js';

/**
 * Storage faults in the device flow (fault invariants FL1, FL14), induced by renaming a table while the app runs:
 * the device authorization endpoint answers 503 and stores nothing; a redemption whose tokens cannot be stored is
 * 500 and undone, so the device's next poll gets the tokens, once; the verification page fails as a page.
 */
describe.each(testMatrix())('device flow storage faults on %s/%s', (platform, db) => {
  let t: TestApp;
  let store: DbInspector;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, { clock });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  async function without<T>(table: string, send: () => Promise<T>): Promise<T> {
    await store.rename(table, `${table}_away`);
    try {
      return await send();
    } finally {
      await store.rename(`${table}_away`, table);
    }
  }

  it('answers 503 temporarily_unavailable when the request cannot be stored', async () => {
    const res = await without('authnest_device_codes', () => deviceAuthorization(t, TV));
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(res.text).not.toMatch(/authnest_|SQL|sqlite|relation/i);
  });

  it.each(['authnest_access_tokens', 'authnest_refresh_tokens'])('undoes a redemption when %s fails: 500, then the tokens once (FL1)', async (table) => {
    const { deviceCode, userCode } = await startDevice(t, TV, { scope: 'openid profile' });
    await approveInBrowser(new TestBrowser(t), userCode);
    expectOAuthError(await without(table, () => poll(t, TV, deviceCode)), 500, 'server_error');
    const row = (await tableRows(t.app, 'DeviceCodeEntity')).find((r) => r.device_code_hash === sha256(deviceCode))!;
    expect(row.consumed_at).toBeNull();
    // Whatever was stored before the failure is revoked: it was never sent.
    const stored = (await tableRows(t.app, 'AccessTokenEntity')).filter((r) => r.grant_id === row.id);
    expect(stored.every((r) => r.revoked_at !== null)).toBe(true);
    const tokens = await poll(t, TV, deviceCode);
    expect(tokens.status, tokens.text).toBe(200);
    expectOAuthError(await poll(t, TV, deviceCode), 400, 'invalid_grant');
    const live = (await tableRows(t.app, 'AccessTokenEntity')).filter((r) => r.grant_id === row.id && r.revoked_at === null);
    expect(live.map((r) => r.token_hash)).toEqual([sha256(String(tokens.body.access_token))]);
  });

  it('shows an error page, not JSON or a stack, when the verification page cannot read the codes', async () => {
    const { userCode } = await startDevice(t);
    const res = await without('authnest_device_codes', () => enterCode(new TestBrowser(t), userCode));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Something went wrong on our side.');
    expect(res.text).not.toMatch(/authnest_device_codes|SQL|at \w+ \(/);
  });
});
