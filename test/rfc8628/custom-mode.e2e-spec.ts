import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionService } from '../../src/index.js';
import { HostInteractionController } from '../support/host-interaction.controller.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootDeviceApp, codeForm, enterCode, expectResult, poll, startDevice, TestBrowser, TV } from './support/device-app.js';

/**
 * `interaction.mode: 'custom'` with the device flow: the verification page stays authnest's, and a right code hands
 * the browser to the host's `loginUrl` with an interaction that says `flow: 'device_code'`; the host's login,
 * consent (with fewer scopes) and finish approve or deny the device instead of redirecting to a client.
 */
describe.each(testMatrix())('device flow with custom interaction pages on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db, {
      controllers: [HostInteractionController],
      options: { interaction: { mode: 'custom', loginUrl: '/host/login?tenant=a' } },
    });
  });
  afterAll(() => t?.close());

  const call = (browser: TestBrowser, path: string, body: object) => browser.post(path, JSON.stringify(body), { 'content-type': 'application/json' });

  async function start(browser: TestBrowser, userCode: string): Promise<string> {
    const res = await enterCode(browser, userCode);
    expect(res.status, res.text).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/host\/login\?tenant=a&interaction=[A-Za-z0-9_-]{43}$/);
    return new URLSearchParams(location.split('?')[1]).get('interaction')!;
  }

  it('keeps the builtin verification page and lets the form end at a custom login page', async () => {
    const browser = new TestBrowser(t);
    const { page } = await codeForm(browser);
    expect(page.status).toBe(200);
    // loginUrl is a path here: form-action 'self' covers it.
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self';");
  });

  it('describes the device request to the host, and approves it with the host\'s login and fewer scopes', async () => {
    const { userCode, deviceCode } = await startDevice(t, TV, { scope: 'openid profile tv:watch' });
    const browser = new TestBrowser(t);
    const id = await start(browser, userCode);
    const details = await browser.get(`/host/login?interaction=${id}`);
    expect(details.body).toMatchObject({
      id,
      flow: 'device_code',
      client: { clientId: 'tv', name: 'Living Room TV', firstParty: false },
      scopes: ['openid', 'profile', 'tv:watch'],
      prompt: ['consent'],
      loginRequired: true,
      consentRequired: true,
      bound: true,
    });
    expect((await new TestBrowser(t).get(`/host/login?interaction=${id}`)).body.bound).toBe(false);
    await call(browser, '/host/login', { interaction: id, account: 'user-alice', amr: ['pwd', 'otp'] });
    expect((await call(browser, '/host/finish', { interaction: id })).body).toMatchObject({ reason: 'consent_required' });
    await call(browser, '/host/consent', { interaction: id, approved: true, scopes: ['openid', 'tv:watch'] });
    await expectResult(t, browser, await call(browser, '/host/finish', { interaction: id }), 'approved');
    expect(browser.jar.get('authnest_session')).toBeDefined();
    const tokens = await poll(t, TV, deviceCode);
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body.scope).toBe('openid tv:watch');
    const idToken = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(idToken).toMatchObject({ sub: 'user-alice', amr: ['pwd', 'otp'] });
    expect((await call(browser, '/host/finish', { interaction: id })).body).toMatchObject({ reason: 'completed' });
  });

  it('denies the device when the host records a denial', async () => {
    const { userCode, deviceCode } = await startDevice(t);
    const browser = new TestBrowser(t);
    const id = await start(browser, userCode);
    await call(browser, '/host/consent', { interaction: id, approved: false });
    await expectResult(t, browser, await call(browser, '/host/finish', { interaction: id }), 'denied');
    expect((await poll(t, TV, deviceCode)).body.error).toBe('access_denied');
  });

  it('still tells code-flow interactions apart (flow: authorization_code)', async () => {
    const { InteractionRecords } = await import('../../src/server/interaction/interaction-records.service.js');
    const records = t.app.get(InteractionRecords);
    const id = await records.create({ clientId: 'webapp', redirectUri: 'https://web.test/cb', redirectUriSent: true, responseMode: 'query', scopes: ['profile'], prompt: [] });
    expect((await t.app.get(InteractionService).get(id)).flow).toBe('authorization_code');
  });
});
