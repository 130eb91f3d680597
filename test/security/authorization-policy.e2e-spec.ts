import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcRequest, PUBLIC_RP, redeemCode, RP } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { createdRows } from '../support/flow-app.js';

/** Template syntaxes of the usual engines, each computing 7777 * 7 = 54439, and markup. */
const PAYLOADS = ['${7777*7}', '{{7777*7}}', '#{7777*7}', '%{7777*7}', '<%= 7777*7 %>', '"><svg onload=alert(1)>', '<script>alert(1)</script>', 'a\u202eb'];

/** An error page: 400 HTML, no Location (checklist A1). */
function expectErrorPage(res: TestResponse): void {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
}

/** Nothing was evaluated or rendered as markup: no 54439, no raw tag of the payloads. */
function expectInert(text: string): void {
  expect(text).not.toContain('54439');
  expect(text).not.toMatch(/<svg|<script>alert/i);
}

/**
 * Authorization request rules found untested by the checklist review (security checklist 4, 33, 72): an OpenID
 * request must name its redirect URI, `offline_access` needs `prompt=consent`, and hostile values in every
 * parameter are echoed exactly where they must be (`state`) and never evaluated or rendered as markup.
 */
describe.each(testMatrix())('authorization request policy on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
  });
  afterAll(() => t?.close());

  it('refuses an OpenID request without redirect_uri with a page, even for a client with one URI (checklist 4, OIDC Core 3.1.2.1)', async () => {
    const before = await createdRows(t);
    const { redirect_uri: _omitted, ...params } = oidcRequest(RP, pkce().challenge);
    expect(RP.redirectUris).toHaveLength(1);
    expectErrorPage(await request(`${t.url}${authorizePath(params)}`));
    const { redirect_uri: _none, ...publicParams } = oidcRequest(PUBLIC_RP, pkce().challenge);
    expectErrorPage(await request(`${t.url}${authorizePath(publicParams)}`));
    expect(await createdRows(t)).toEqual(before);
  });

  it('still defaults to the only registered URI for a plain OAuth request (checklist 4, RFC 6749 3.1.2.3)', async () => {
    const { redirect_uri: _omitted, ...params } = oidcRequest(RP, pkce().challenge, { scope: 'profile' });
    const res = await request(`${t.url}${authorizePath(params)}`);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toContain('/oauth/interaction/');
  });

  it('refuses a request object (request=) with a page instead of ignoring it, also alg none (checklist 88, OIDC Core 6.1)', async () => {
    const before = await createdRows(t);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ redirect_uri: 'https://evil.test/cb' })).toString('base64url')}.`;
    for (const requestObject of [unsigned, 'not-a-jwt']) {
      const res = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { request: requestObject }))}`);
      expectErrorPage(res);
      expect(res.text).toContain('request_not_supported');
    }
    expect(await createdRows(t)).toEqual(before);
  });

  it('drops offline_access from a third-party request without prompt=consent, keeps it with (checklist 33, OIDC Core 11)', async () => {
    const browser = new TestBrowser(t);
    const plain = pkce();
    const done = await authorizeWithLogin(browser, oidcRequest(RP, plain.challenge, { scope: 'openid profile offline_access' }));
    const code = clientRedirect(done, RP.redirectUris![0]!).get('code')!;
    const tokens = await redeemCode(t, RP, code, plain.verifier);
    expect(tokens.status, tokens.text).toBe(200);
    expect(String(tokens.body.scope).split(' ').sort()).toEqual(['openid', 'profile']);
    // Asked with prompt=consent, the consent page shows again and the scope is granted.
    const asked = pkce();
    const consented = await authorizeWithLogin(new TestBrowser(t), oidcRequest(RP, asked.challenge, { scope: 'openid profile offline_access', prompt: 'consent' }));
    const granted = await redeemCode(t, RP, clientRedirect(consented, RP.redirectUris![0]!).get('code')!, asked.verifier);
    expect(String(granted.body.scope).split(' ')).toContain('offline_access');
  });

  it('echoes a hostile state byte for byte in an error redirect, and evaluates nothing (checklist 72, 73)', async () => {
    for (const state of PAYLOADS) {
      const res = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { state, scope: 'openid nope' }))}`);
      const params = clientRedirect(res, RP.redirectUris![0]!);
      expect(params.get('state')).toBe(state);
      expect(params.get('error')).toBe('invalid_scope');
      expect(params.get('error_description')).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/);
      expectInert(res.headers.get('location')!.replace(encodeURIComponent(state), ''));
    }
  });

  it('renders hostile client_id, response_type, scope and login_hint values inertly (checklist 72)', async () => {
    for (const payload of PAYLOADS) {
      const unknownClient = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { client_id: payload }))}`);
      expectErrorPage(unknownClient);
      expectInert(unknownClient.text);
      const badType = await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { response_type: payload }))}`);
      const typeError = clientRedirect(badType, RP.redirectUris![0]!);
      expect(typeError.get('error')).toBe('unsupported_response_type');
      expect(typeError.get('error_description')).not.toContain(payload);
      const badScope = clientRedirect(await request(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { scope: `openid ${payload}` }))}`), RP.redirectUris![0]!);
      expect(badScope.get('error_description') ?? '').not.toContain(payload);
      const browser = new TestBrowser(t);
      const login = await browser.follow(await browser.get(authorizePath(oidcRequest(RP, pkce().challenge, { login_hint: payload }))));
      expect(login.status).toBe(200);
      expectInert(login.text);
    }
  });
});
