import { Logger, type LoggerService } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { approveInBrowser, bootDeviceApp, codeForm, enterCode, KIOSK, poll, startDevice, TestBrowser, TV } from './support/device-app.js';

/** Every log line of the app (Nest's static logger), to look for codes in them. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => this.lines.push(parts.map(String).join(' '));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
  fatal = this.log;
}

/**
 * Guessing user codes (RFC 8628 section 5.1; checklist J76, J78): every code entry counts per browser and per client
 * address in the database before the code is looked up, so over a limit even the right code gets 429 with
 * Retry-After; counters are keyed by hashes only; windows end. And no code ever reaches the logs (checklist I75).
 */
describe.each(testMatrix())('user code rate limits on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, {
      clock,
      options: { deviceFlow: { codeTtl: 1800, userCodeRateLimit: { perBrowser: { max: 3, window: 300 }, perAddress: { max: 6, window: 600 } } } },
    });
  });
  afterAll(() => t?.close());
  beforeEach(() => clock.advance(601)); // every test starts in fresh windows

  /** A browser with the code form open, and a function entering a code in it. */
  async function codeEntry() {
    const browser = new TestBrowser(t);
    const { action, csrf } = await codeForm(browser);
    return { browser, enter: (code: string) => browser.post(action, { csrf, user_code: code }) };
  }

  it('limits entries per browser, before looking at the code: the right code is refused too (429, Retry-After)', async () => {
    const { deviceCode, userCode } = await startDevice(t);
    const { enter } = await codeEntry();
    for (let i = 0; i < 3; i += 1) expect((await enter('BCDF-GHJK')).status).toBe(400);
    const limited = await enter(userCode);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('300');
    expect(limited.text).toContain('Too many codes were entered.');
    expect((await poll(t, TV, deviceCode)).body.error).toBe('authorization_pending');
    // Another browser on the same address is not locked by it.
    expect((await (await codeEntry()).enter(userCode)).status).toBe(303);
  });

  it('limits entries per address across browsers, and lets them in again after the window', async () => {
    const { userCode } = await startDevice(t);
    for (let i = 0; i < 6; i += 1) expect((await (await codeEntry()).enter('BCDF-GHJK')).status).toBe(400);
    const limited = await (await codeEntry()).enter(userCode);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('600');
    clock.advance(601);
    expect((await (await codeEntry()).enter(userCode)).status).toBe(303);
  });

  it('counts right codes too (a browser connecting many devices is limited alike), and nothing for forms refused earlier', async () => {
    const { enter, browser } = await codeEntry();
    for (let i = 0; i < 3; i += 1) expect((await enter((await startDevice(t)).userCode)).status).toBe(303);
    expect((await enter((await startDevice(t)).userCode)).status).toBe(429);
    const before = await tableRows(t.app, 'RateLimitEntity');
    expect((await browser.post('/oauth/device', { user_code: 'BCDF-GHJK' })).status).toBe(403);
    expect(await tableRows(t.app, 'RateLimitEntity')).toEqual(before);
  });

  it('keys the counters by hashes: no address, browser token or code in clear', async () => {
    const { browser, enter } = await codeEntry();
    await enter('WRNG-CODE');
    const rows = await tableRows(t.app, 'RateLimitEntity');
    const token = (await codeForm(browser)).csrf;
    const keys = rows.map((row) => String(row.key));
    expect(keys).toEqual(expect.arrayContaining([`device:browser:${sha256(token)}`, `device:addr:${sha256('127.0.0.1')}`]));
    const dump = JSON.stringify(rows);
    for (const clear of [token, '127.0.0.1', 'WRNG', 'WRNGCODE']) expect(dump).not.toContain(clear);
  });

  it('never writes a device code or user code to the logs, whatever happens', async () => {
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    try {
      const tv = await startDevice(t);
      const kiosk = await startDevice(t, KIOSK);
      await poll(t, TV, tv.deviceCode);
      await poll(t, TV, tv.deviceCode); // slow_down
      await poll(t, KIOSK, tv.deviceCode); // another client's
      await poll(t, { ...KIOSK, clientSecret: 'wrong-secret-0' }, kiosk.deviceCode); // client authentication fails (logged)
      await enterCode(new TestBrowser(t), tv.userCode.replace(/.$/, 'B'));
      await new TestBrowser(t).post('/oauth/device', { user_code: tv.userCode });
      await approveInBrowser(new TestBrowser(t), tv.userCode);
      await approveInBrowser(new TestBrowser(t), kiosk.userCode, { decision: 'deny' });
      await poll(t, TV, tv.deviceCode);
      await poll(t, TV, tv.deviceCode); // replay
      await poll(t, KIOSK, kiosk.deviceCode);
      clock.advance(601);
      await poll(t, TV, (await startDevice(t)).deviceCode);
      expect(logger.lines.length).toBeGreaterThan(0); // the logger did capture
      const logs = logger.lines.join('\n');
      for (const grant of [tv, kiosk]) {
        for (const secret of [grant.deviceCode, grant.userCode, grant.userCode.replace('-', ''), grant.userCode.slice(0, 4)]) expect(logs).not.toContain(secret);
      }
    } finally {
      Logger.overrideLogger(false);
    }
  });
});
