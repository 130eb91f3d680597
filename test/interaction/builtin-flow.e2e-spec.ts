import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm } from '../support/http.js';
import { bootFlowApp, codeRequest, FIRST, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

/** The builtin login and consent pages end to end: authorize, log in, consent, code, token. */
describe.each(testMatrix())('builtin authorization code flow on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db);
  });
  afterAll(() => t?.close());

  it('redirects to the interaction page with a bound cookie, logs in, asks consent and returns a bound code (RFC 6749 4.1)', async () => {
    const browser = new TestBrowser(t);
    const { verifier, challenge } = pkce();
    const start = await browser.get(authorizePath(codeRequest(WEB, challenge, { nonce: 'n-0S6' })));
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toMatch(new RegExp(`^${t.issuer}/oauth/interaction/[A-Za-z0-9_-]{43}$`));
    const binding = browser.jar.get('authnest_interaction')!;
    expect(binding.path).toBe(new URL(start.headers.get('location')!).pathname);
    expect(binding.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));

    const loginPage = await browser.follow(start);
    expect(loginPage.status).toBe(200);
    expect(loginPage.text).toContain('Web App');
    const login = formOf(loginPage.text);
    const afterLogin = await browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' });
    expect(afterLogin.status).toBe(303);
    expect(afterLogin.headers.get('location')).toBe(start.headers.get('location'));
    const session = browser.jar.get('authnest_session')!;
    expect(session.path).toBe('/');
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));
    expect(session.attributes.some((a) => /^secure$/i.test(a))).toBe(false);

    const consentPage = await browser.follow(afterLogin);
    expect(consentPage.status).toBe(200);
    expect(consentPage.text).toContain('<code>profile</code>');
    expect(consentPage.text).toContain('<code>email</code>');
    const consent = formOf(consentPage.text);
    const done = await browser.post(consent.action, { csrf: consent.csrf, decision: 'approve' });
    const params = clientRedirect(done, WEB.redirectUris![0]!);
    expect([...params.keys()]).toEqual(['code', 'state', 'iss']);
    expect(params.get('state')).toBe('st-123');
    expect(params.get('iss')).toBe(t.issuer);
    const code = params.get('code')!;

    const rows = (await tableRows(t.app, 'AuthorizationCodeEntity')).filter((row) => row.code_hash === sha256(code));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(JSON.stringify(await tableRows(t.app, 'AuthorizationCodeEntity'))).not.toContain(code);
    expect(row).toMatchObject({
      client_id: 'web',
      account_id: 'user-alice',
      redirect_uri: 'https://client.test/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      nonce: 'n-0S6',
    });
    expect(Boolean(row.redirect_uri_sent)).toBe(true);
    expect(JSON.parse(String(row.scopes))).toEqual(['profile', 'email']);
    expect(row.consumed_at).toBeNull();

    // The token-side grant redeems it with the verifier (RFC 7636 section 4.5).
    const token = await postForm(
      `${t.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: 'https://client.test/cb', code_verifier: verifier },
      { authorization: basic('web', 'web-secret-0001') },
    );
    expect(token.status, token.text).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'profile email' });
  });

  it('remembers consent: the next request with the session returns a code at once (no page)', async () => {
    const browser = new TestBrowser(t);
    await authorizeWithLogin(browser, codeRequest(SPA, pkce().challenge));
    const again = await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { state: 'second' })));
    const params = clientRedirect(again, 'https://spa.test/cb');
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe('second');
  });

  it('asks again when a new scope is requested (consent covers only what was approved)', async () => {
    const browser = new TestBrowser(t);
    await authorizeWithLogin(browser, codeRequest(SPA, pkce().challenge, { scope: 'profile' }), { username: 'bob', password: 'bob-password' });
    const more = await browser.get(authorizePath(codeRequest(SPA, pkce().challenge, { scope: 'profile posts:read' })));
    const page = await browser.follow(more);
    expect(page.text).toContain('<code>posts:read</code>');
    expect(page.text).toContain('value="approve"');
  });

  it('skips consent for a first-party client and uses the only registered redirect URI when omitted', async () => {
    const browser = new TestBrowser(t);
    const { redirect_uri: _omitted, ...params } = codeRequest(FIRST, pkce().challenge);
    const done = await authorizeWithLogin(browser, params);
    const result = clientRedirect(done, 'https://first.test/cb');
    const row = (await tableRows(t.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(result.get('code')!))!;
    expect(Boolean(row.redirect_uri_sent)).toBe(false);
    expect(row.redirect_uri).toBe('https://first.test/cb');
  });

  it('answers Deny with access_denied, state and iss, and issues no code (RFC 6749 4.1.2.1)', async () => {
    const browser = new TestBrowser(t);
    const before = (await tableRows(t.app, 'AuthorizationCodeEntity')).length;
    const done = await authorizeWithLogin(browser, codeRequest(WEB, pkce().challenge), { username: 'bob', password: 'bob-password', decision: 'deny' });
    const params = clientRedirect(done, 'https://client.test/cb');
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('st-123');
    expect(params.get('iss')).toBe(t.issuer);
    expect(params.get('code')).toBeNull();
    expect(await tableRows(t.app, 'AuthorizationCodeEntity')).toHaveLength(before);
  });

  it('shows one generic message for a wrong password, an unknown user and an inactive account', async () => {
    const messages: string[] = [];
    for (const [username, password] of [['alice', 'wrong'], ['nobody', 'wrong'], ['carol', 'carol-password']] as const) {
      const browser = new TestBrowser(t);
      const page = await browser.follow(await browser.get(authorizePath(codeRequest(WEB, pkce().challenge))));
      const form = formOf(page.text);
      const res = await browser.post(form.action, { csrf: form.csrf, username, password });
      expect(res.status).toBe(400);
      expect(browser.jar.get('authnest_session')).toBeUndefined();
      messages.push(/<p class="error" role="alert">([^<]*)<\/p>/.exec(res.text)![1]!);
      expect(res.text).not.toContain(username);
    }
    expect(new Set(messages).size).toBe(1);
  });
});
