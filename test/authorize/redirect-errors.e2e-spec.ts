import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, pkce, sha256, tableRows } from '../support/authorization-flow.js';
import { postForm, request } from '../support/http.js';
import { bootFlowApp, codeRequest, createdRows, FIRST, signedInBrowser, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

/** A client that may not use the authorization code grant (but has a redirect URI). */
const MACHINE = { ...WEB, clientId: 'machine', grantTypes: ['client_credentials'], redirectUris: ['https://machine.test/cb'] };
/** A first-party client allowed only `profile`. */
const LIMITED = { ...FIRST, clientId: 'limited', scopes: ['profile'], redirectUris: ['https://limited.test/cb'] };
/** RFC 6749 section 4.1.2.1: error_description is %x20-21 / %x23-5B / %x5D-7E only. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * Errors after the client and redirect URI are validated go back to the client: 303 to the registered URI with
 * `error`, `error_description`, `state` (byte for byte) and `iss` (RFC 6749 section 4.1.2.1, RFC 9207;
 * checklist A7, I73; Authlib 4.1 items 8, 9, 12-20).
 */
describe.each(testMatrix())('authorization error redirects on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clients: [WEB, SPA, FIRST, MACHINE, LIMITED] });
  });
  afterAll(() => t?.close());

  async function expectRedirectError(params: Record<string, string>, error: string, redirectUri = 'https://client.test/cb') {
    const before = await createdRows(t);
    const res = await request(`${t.url}${authorizePath(params)}`);
    const result = clientRedirect(res, redirectUri);
    expect(result.get('error')).toBe(error);
    expect(result.get('error_description')).toMatch(DESCRIPTION_CHARSET);
    expect(result.get('iss')).toBe(t.issuer);
    expect(result.get('code')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await createdRows(t)).toEqual(before);
    return result;
  }

  const params = (extra: Record<string, string> = {}) => codeRequest(WEB, pkce().challenge, extra);

  it('answers response_type=token and other types with unsupported_response_type (A7, Authlib 4.1 item 16)', async () => {
    for (const type of ['token', 'id_token', 'code token', 'code id_token', 'CODE', 'none']) {
      const result = await expectRedirectError(params({ response_type: type }), 'unsupported_response_type');
      expect(result.get('state')).toBe('st-123');
    }
  });

  it('answers a missing response_type with invalid_request (A7)', async () => {
    const { response_type: _none, ...rest } = params();
    await expectRedirectError(rest, 'invalid_request');
  });

  it('never redirects an unsupported response_type to an unregistered URI (Authlib 4.1 item 15)', async () => {
    const res = await request(`${t.url}${authorizePath(params({ response_type: 'token', redirect_uri: 'https://evil.test/cb' }))}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('answers a client without the authorization_code grant with unauthorized_client (Authlib 4.1 item 8)', async () => {
    await expectRedirectError(codeRequest(MACHINE, pkce().challenge), 'unauthorized_client', 'https://machine.test/cb');
  });

  it('answers unknown, disallowed and malformed scopes with invalid_scope and the state (Authlib 4.1 item 9)', async () => {
    for (const scope of ['invalid', 'profile unknown', 'a"b', 'a\\b']) {
      const result = await expectRedirectError(params({ scope, state: 'foo' }), 'invalid_scope');
      expect(result.get('state')).toBe('foo');
    }
  });

  it('answers an unknown response_mode with invalid_request in query mode', async () => {
    await expectRedirectError(params({ response_mode: 'fragment' }), 'invalid_request');
    await expectRedirectError(params({ response_mode: 'web_message' }), 'invalid_request');
  });

  it('echoes state byte for byte, in errors and in codes, and omits it when absent', async () => {
    const state = 'a b+c/d?e=f&g=%25;é✓<"\'>';
    const error = await expectRedirectError(params({ response_type: 'token', state }), 'unsupported_response_type');
    expect(error.get('state')).toBe(state);
    const { state: _none, ...noState } = params({ response_type: 'token' });
    expect((await expectRedirectError(noState, 'unsupported_response_type')).has('state')).toBe(false);
    const alice = await signedInBrowser(t);
    const ok = clientRedirect(await alice.get(authorizePath(codeRequest(FIRST, pkce().challenge, { state }))), 'https://first.test/cb');
    expect(ok.get('state')).toBe(state);
    expect(ok.get('iss')).toBe(t.issuer);
  });

  it('answers POST requests the same way, with 303 (RFC 6749 section 3.1)', async () => {
    const res = await postForm(`${t.url}/oauth/authorize`, params({ response_type: 'token' }));
    expect(clientRedirect(res, 'https://client.test/cb').get('error')).toBe('unsupported_response_type');
  });

  it('uses the default scopes when scope is omitted, and none when the client has none (Authlib 4.1 items 12, 13)', async () => {
    const alice = await signedInBrowser(t);
    const { scope: _a, ...noScope } = codeRequest(FIRST, pkce().challenge);
    const code = clientRedirect(await alice.get(authorizePath(noScope)), 'https://first.test/cb').get('code')!;
    const row = (await tableRows(t.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(code))!;
    expect(JSON.parse(String(row.scopes))).toEqual([]);
    const page = await alice.follow(await alice.get(authorizePath({ ...params(), scope: '' })));
    expect(page.text).toContain('<code>profile</code>'); // WEB's default scope, on the consent page
    expect(page.text).not.toContain('<code>email</code>');
  });

  it('drops scopes the client may not have and binds the rest to the code (RFC 6749 section 3.3)', async () => {
    const alice = await signedInBrowser(t);
    const res = await alice.get(authorizePath(codeRequest(LIMITED, pkce().challenge, { scope: 'profile email' })));
    const code = clientRedirect(res, 'https://limited.test/cb').get('code')!;
    const row = (await tableRows(t.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(code))!;
    expect(JSON.parse(String(row.scopes))).toEqual(['profile']);
  });
});
