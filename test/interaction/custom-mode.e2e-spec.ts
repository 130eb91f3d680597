import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, FIRST, SPA } from '../support/flow-app.js';
import { HostInteractionController } from '../support/host-interaction.controller.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

/**
 * `interaction.mode: 'custom'`: the authorization endpoint hands the browser to the host's `loginUrl`, and
 * the host's own Nest controller drives the interaction through `InteractionService` (like node-oidc-provider).
 */
describe.each(testMatrix())('custom interaction mode on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, {
      controllers: [HostInteractionController],
      options: { interaction: { mode: 'custom', loginUrl: '/host/login?tenant=a' } },
    });
  });
  afterAll(() => t?.close());

  async function start(browser: TestBrowser, params: Record<string, string>): Promise<string> {
    const res = await browser.get(authorizePath(params));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/host\/login\?tenant=a&interaction=[A-Za-z0-9_-]{43}$/);
    return new URLSearchParams(location.split('?')[1]).get('interaction')!;
  }
  const call = (browser: TestBrowser, path: string, body: object) =>
    browser.post(path, JSON.stringify(body), { 'content-type': 'application/json' });

  it('hands the browser to loginUrl with a site-wide binding cookie, and get() describes the request', async () => {
    const browser = new TestBrowser(t);
    const id = await start(browser, codeRequest(SPA, pkce().challenge, { prompt: 'consent' }));
    expect(browser.jar.get('authnest_interaction')!.path).toBe('/');
    const details = await browser.get(`/host/login?interaction=${id}`);
    expect(details.body).toMatchObject({
      id,
      client: { clientId: 'spa', name: 'Single Page App', firstParty: false },
      scopes: ['profile', 'email'],
      prompt: ['consent'],
      loginRequired: true,
      consentRequired: true,
      bound: true,
    });
    expect((await new TestBrowser(t).get(`/host/login?interaction=${id}`)).body.bound).toBe(false);
  });

  it('runs login, consent with fewer scopes, and finish; the response carries the code and a session', async () => {
    const browser = new TestBrowser(t);
    const id = await start(browser, codeRequest(SPA, pkce().challenge));
    expect((await call(browser, '/host/finish', { interaction: id })).body).toMatchObject({ reason: 'login_required' });
    await call(browser, '/host/login', { interaction: id, account: 'user-alice' });
    expect((await browser.get(`/host/login?interaction=${id}`)).body).toMatchObject({ loginRequired: false, accountId: 'user-alice' });
    expect((await call(browser, '/host/finish', { interaction: id })).body).toMatchObject({ reason: 'consent_required' });
    expect((await call(browser, '/host/consent', { interaction: id, approved: true, scopes: ['posts:read'] })).body).toMatchObject({ reason: 'invalid_scopes' });
    await call(browser, '/host/consent', { interaction: id, approved: true, scopes: ['profile'] });
    const done = await call(browser, '/host/finish', { interaction: id });
    const params = clientRedirect(done, 'https://spa.test/cb');
    expect(params.get('iss')).toBe(t.issuer);
    const row = (await tableRows(t.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(params.get('code')!))!;
    expect(row).toMatchObject({ client_id: 'spa', account_id: 'user-alice' });
    expect(JSON.parse(String(row.scopes))).toEqual(['profile']);
    expect(browser.jar.get('authnest_session')).toBeDefined();
    // Used once; the session then answers prompt=none, and the remembered consent covers `profile`.
    expect((await call(browser, '/host/finish', { interaction: id })).body).toMatchObject({ reason: 'completed' });
    const silent = await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { scope: 'profile', prompt: 'none' })));
    expect(clientRedirect(silent, 'https://spa.test/cb').get('code')).toBeTruthy();
  });

  it('finishes a denial with access_denied, and a form_post request with the page', async () => {
    const browser = new TestBrowser(t);
    const denied = await start(browser, codeRequest(SPA, pkce().challenge, { prompt: 'consent' }));
    await call(browser, '/host/consent', { interaction: denied, approved: false });
    expect(clientRedirect(await call(browser, '/host/finish', { interaction: denied }), 'https://spa.test/cb').get('error')).toBe('access_denied');
    const posted = await start(browser, codeRequest(FIRST, pkce().challenge, { response_mode: 'form_post' }));
    await call(browser, '/host/login', { interaction: posted, account: 'user-bob' });
    const page = await call(browser, '/host/finish', { interaction: posted });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<form method="post" action="https://first.test/cb">');
    expect(page.text).toMatch(/name="code" value="[A-Za-z0-9_-]{43}"/);
  });

  it('answers unknown interactions, and has no builtin pages in custom mode', async () => {
    const browser = new TestBrowser(t);
    expect((await browser.get('/host/login?interaction=nope')).body).toMatchObject({ reason: 'unknown' });
    const id = await start(browser, codeRequest(SPA, pkce().challenge));
    expect((await browser.get(`/oauth/interaction/${id}`)).status).toBe(404);
    expect((await browser.post(`/oauth/interaction/${id}/login`, { username: 'alice', password: 'alice-password' })).status).toBe(404);
  });
});
