import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import { createdRows } from '../support/flow-app.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, oidcRequest, redeemCode, refreshTokens, RP, userinfo, verifyWithJwks } from '../support/oidc-app.js';
import { ALICE_CLAIMS } from '../support/test-accounts.js';
import type { TestApp } from '../support/test-app.js';
import { accountsOf, claimsCallsDuring, claimsParam, consentItems, expectUserInfo, loginUntilConsent, silentTokens } from './support/claims-helpers.js';

/**
 * The `claims` request parameter (OpenID Connect Core section 5.5): claims asked for `userinfo` are released at
 * UserInfo only, those asked for `id_token` in the ID token only, whatever the scopes; names the server does not
 * release are ignored (5.5: not an error), and so are other members; a parameter that is not JSON or has the wrong
 * shape (5.5.1) is `invalid_request` at the redirect URI and creates nothing. The consent page lists the claims asked
 * for one by one; a remembered consent covers them, a new claim asks again. Refresh keeps the request (Core 12.2).
 */
describe.each(testMatrix())('claims request parameter on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
  });
  afterAll(() => t?.close());

  it('{"userinfo":{"email":null}} with scope openid alone releases email at UserInfo only', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: 'openid', claims: claimsParam({ userinfo: { email: null } }) } });
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual({ sub: 'user-alice', email: 'alice@example.com' });
    expect(login.claims.email).toBeUndefined();
  });

  it('{"id_token":{"name":{"essential":true}}} puts name in the ID token, not at UserInfo', async () => {
    const claims = claimsParam({ id_token: { name: { essential: true }, email: { values: ['a@b.example'] } } });
    const login = await oidcLogin(t, RP, { extra: { scope: 'openid', claims } });
    const payload = await verifyWithJwks(t, login.idToken);
    expect(payload).toMatchObject({ sub: 'user-alice', name: 'Alice Example', email: 'alice@example.com' });
    expect(payload.email_verified).toBeUndefined();
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual({ sub: 'user-alice' });
  });

  it('ignores unknown claim names and unknown members, on the consent page too', async () => {
    const claims = claimsParam({
      userinfo: { shoe_size: null, phone_number: { essential: false } },
      id_token: { favourite_colour: { value: 'blue' } },
      vp_token: { anything: null },
    });
    accountsOf(t).add('user-hana', { username: 'hana', password: 'hana-password', claims: ALICE_CLAIMS });
    const browser = new TestBrowser(t);
    const { verifier, challenge } = pkce();
    const consent = await loginUntilConsent(browser, oidcRequest(RP, challenge, { scope: 'openid', claims }), 'hana');
    expect(consentItems(consent.text)).toEqual(['openid', 'phone_number']);
    expect(consent.text).not.toMatch(/shoe_size|favourite_colour|vp_token/);
    const form = formOf(consent.text);
    const code = clientRedirect(await browser.post(form.action, { csrf: form.csrf, decision: 'approve' }), RP.redirectUris![0]!).get('code')!;
    const tokens = (await redeemCode(t, RP, code, verifier)).body;
    const calls = await claimsCallsDuring(t, () => userinfo(t, tokens.access_token as string));
    expect(calls.map((call) => call.claims)).toEqual([['phone_number']]);
    expect(expectUserInfo(await userinfo(t, tokens.access_token as string))).toEqual({ sub: 'user-hana', phone_number: '+1 555 0100' });
  });

  it.each([
    ['not JSON', '{userinfo:'],
    ['an array', '[]'],
    ['a string', '"email"'],
    ['userinfo as an array', claimsParam({ userinfo: ['email'] })],
    ['id_token as a string', claimsParam({ id_token: 'name' })],
    ['essential as a string', claimsParam({ userinfo: { email: { essential: 'yes' } } })],
    ['a member that is a number', claimsParam({ userinfo: { email: 1 } })],
    ['a member that is a string', claimsParam({ id_token: { name: 'please' } })],
    ['a member that is an array', claimsParam({ id_token: { name: [] } })],
    ['values that is not a list', claimsParam({ userinfo: { email: { values: 'a@b.example' } } })],
    ['a claim name with a space', claimsParam({ userinfo: { 'e mail': null } })],
  ])('%s: invalid_request at the redirect URI with state and iss, creating nothing (Core 5.5.1)', async (_case, claims) => {
    const before = await createdRows(t);
    const res = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { scope: 'openid', claims }))}`);
    const params = clientRedirect(res, RP.redirectUris![0]!);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('state')).toBe('st-oidc');
    expect(params.get('iss')).toBe(t.issuer);
    expect(params.get('code')).toBeNull();
    expect(await createdRows(t)).toEqual(before);
  });

  it('the consent page lists the claims asked for; remembered consent covers them; a new claim asks again', async () => {
    // A user of her own: consent is remembered per account and client.
    accountsOf(t).add('user-gwen', { username: 'gwen', password: 'gwen-password', claims: ALICE_CLAIMS });
    const browser = new TestBrowser(t);
    const claims = claimsParam({ userinfo: { email: null }, id_token: { name: null, email: null } });
    const consent = await loginUntilConsent(browser, oidcRequest(RP, pkce().challenge, { scope: 'openid', claims }), 'gwen');
    expect(consentItems(consent.text)).toEqual(['openid', 'name', 'email']);
    const form = formOf(consent.text);
    clientRedirect(await browser.post(form.action, { csrf: form.csrf, decision: 'approve' }), RP.redirectUris![0]!);

    // The same claims, or fewer: no page.
    const again = await silentTokens(t, browser, RP, { scope: 'openid', claims });
    expect(again.claims).toMatchObject({ name: 'Alice Example', email: 'alice@example.com' });
    const fewer = await silentTokens(t, browser, RP, { scope: 'openid', claims: claimsParam({ userinfo: { email: null } }) });
    expect(expectUserInfo(await userinfo(t, fewer.tokens.access_token as string))).toEqual({ sub: 'user-gwen', email: 'alice@example.com' });

    // A claim not approved before: prompt=none cannot, a normal request shows the consent page for it.
    const phone = claimsParam({ userinfo: { phone_number: null } });
    const silent = await browser.get(authorizePath(oidcRequest(RP, pkce().challenge, { scope: 'openid', claims: phone, prompt: 'none' })));
    expect(clientRedirect(silent, RP.redirectUris![0]!).get('error')).toBe('consent_required');
    const start = await browser.get(authorizePath(oidcRequest(RP, pkce().challenge, { scope: 'openid', claims: phone })));
    expect(start.headers.get('location')).toContain('/oauth/interaction/');
    const page = await browser.follow(start);
    expect(page.text).toContain('value="approve"');
    expect(consentItems(page.text)).toEqual(['openid', 'phone_number']);
  });

  it('refresh keeps the claims request: the refreshed ID token and UserInfo release the same claims', async () => {
    const claims = claimsParam({ userinfo: { email: null }, id_token: { name: null } });
    const login = await oidcLogin(t, RP, { extra: { scope: 'openid', claims } });
    expect(login.claims.name).toBe(ALICE_CLAIMS.name);
    const first = await refreshTokens(t, RP, login.tokens.refresh_token as string);
    expect(first.status, first.text).toBe(200);
    const second = await refreshTokens(t, RP, first.body.refresh_token as string);
    expect(second.status, second.text).toBe(200);
    for (const refreshed of [first.body, second.body]) {
      const payload = await verifyWithJwks(t, refreshed.id_token as string);
      expect(payload).toMatchObject({ sub: 'user-alice', name: 'Alice Example' });
      expect(payload.email).toBeUndefined();
      expect(expectUserInfo(await userinfo(t, refreshed.access_token as string))).toEqual({ sub: 'user-alice', email: 'alice@example.com' });
    }
  });

  it('refresh keeps claims_locales for the AccountService', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: 'openid email', claims_locales: 'fr' } });
    const refreshed = await refreshTokens(t, RP, login.tokens.refresh_token as string);
    const calls = await claimsCallsDuring(t, () => userinfo(t, refreshed.body.access_token as string));
    expect(calls).toEqual([{ claims: ['email', 'email_verified'], target: 'userinfo', clientId: 'rp', locales: ['fr'] }]);
  });
});
