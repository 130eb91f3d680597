import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { bootFlowApp, codeRequest, createdRows, FIRST, signedInBrowser, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService } from '../support/test-accounts.js';
import { FakeClock, type TestApp } from '../support/test-app.js';

/**
 * `prompt` (OpenID Connect Core section 3.1.2.1, 3.1.2.6): `none` never shows a page and answers
 * `login_required` / `consent_required`; `login` forces a fresh login; `consent` forces the consent page
 * (checklist H67, H69 without id_token_hint / max_age; Authlib OIDC prompt behaviour with the RFC answers).
 */
describe.each(testMatrix())('prompt on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clock });
  });
  afterAll(() => t?.close());

  async function authTimeOf(code: string): Promise<number> {
    const row = (await tableRows(t.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(code))!;
    return Number(row.auth_time);
  }

  it('prompt=none without a session: login_required with state and iss, no page and no interaction (H69)', async () => {
    const before = await createdRows(t);
    const res = await request(`${t.url}${authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'none' }))}`);
    const params = clientRedirect(res, 'https://first.test/cb');
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe('st-123');
    expect(params.get('iss')).toBe(t.issuer);
    expect(await createdRows(t)).toEqual(before);
  });

  it('prompt=none with a session but no consent: consent_required (H67)', async () => {
    const alice = await signedInBrowser(t);
    const res = await alice.get(authorizePath(codeRequest(WEB, pkce().challenge, { prompt: 'none' })));
    expect(clientRedirect(res, 'https://client.test/cb').get('error')).toBe('consent_required');
  });

  it('prompt=none with a session and consent (or a first-party client): a code at once, with the session auth_time', async () => {
    const loginTime = clock.now();
    const alice = await signedInBrowser(t);
    clock.advance(30);
    const first = clientRedirect(await alice.get(authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'none' }))), 'https://first.test/cb');
    expect(await authTimeOf(first.get('code')!)).toBe(loginTime);
    // Approve SPA once, then prompt=none succeeds for it too.
    const page = await alice.follow(await alice.get(authorizePath(codeRequest(SPA, pkce().challenge))));
    const form = formOf(page.text);
    clientRedirect(await alice.post(form.action, { csrf: form.csrf, decision: 'approve' }), 'https://spa.test/cb');
    const silent = await alice.get(authorizePath(codeRequest(SPA, pkce().challenge, { prompt: 'none' })));
    expect(clientRedirect(silent, 'https://spa.test/cb').get('code')).toBeTruthy();
  });

  it('prompt=login shows the login page despite a session, then issues a code with the new auth_time and a new session', async () => {
    const alice = await signedInBrowser(t);
    const oldSession = alice.jar.get('authnest_session')!.value;
    clock.advance(60);
    const start = await alice.get(authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'login' })));
    expect(start.headers.get('location')).toContain('/oauth/interaction/');
    const done = await authorizeWithLogin(alice, codeRequest(FIRST, pkce().challenge, { prompt: 'login' }));
    const code = clientRedirect(done, 'https://first.test/cb').get('code')!;
    expect(await authTimeOf(code)).toBe(clock.now());
    expect(alice.jar.get('authnest_session')!.value).not.toBe(oldSession);
    // The replaced session no longer logs anyone in.
    const stale = new TestBrowser(t);
    stale.jar.store(new Headers([['set-cookie', `authnest_session=${oldSession}; Path=/`]]));
    const res = await stale.get(authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'none' })));
    expect(clientRedirect(res, 'https://first.test/cb').get('error')).toBe('login_required');
  });

  it('prompt=consent shows the consent page even for a first-party client and a remembered consent', async () => {
    const alice = await signedInBrowser(t);
    for (const client of [FIRST, SPA]) {
      const page = await alice.follow(await alice.get(authorizePath(codeRequest(client, pkce().challenge, { prompt: 'consent' }))));
      expect(page.status).toBe(200);
      expect(page.text).toContain('value="approve"');
      const form = formOf(page.text);
      expect(clientRedirect(await alice.post(form.action, { csrf: form.csrf, decision: 'approve' }), client.redirectUris![0]!).get('code')).toBeTruthy();
    }
  });

  it('rejects none combined with other values and unknown values with invalid_request', async () => {
    for (const prompt of ['none login', 'consent none', 'select_account', 'login bogus']) {
      const res = await request(`${t.url}${authorizePath(codeRequest(FIRST, pkce().challenge, { prompt }))}`);
      expect(clientRedirect(res, 'https://first.test/cb').get('error'), prompt).toBe('invalid_request');
    }
  });

  it('treats a session of a deactivated account as no session', async () => {
    const bob = await signedInBrowser(t, 'bob');
    const accounts = t.app.get(InMemoryAccountService);
    accounts.setActive('user-bob', false);
    try {
      const res = await bob.get(authorizePath(codeRequest(FIRST, pkce().challenge, { prompt: 'none' })));
      expect(clientRedirect(res, 'https://first.test/cb').get('error')).toBe('login_required');
    } finally {
      accounts.setActive('user-bob', true);
    }
  });
});
