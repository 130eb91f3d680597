import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../src/index.js';
import { authorizePath, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { postForm, request, type TestResponse } from '../support/http.js';
import { bootFlowApp, codeRequest, createdRows, FIRST, signedInBrowser, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

const MULTI = { ...SPA, clientId: 'multi', redirectUris: ['https://multi.test/a', 'https://multi.test/b'] };
const TENANT = { ...FIRST, clientId: 'tenant', redirectUris: ['https://client.test/cb?tenant=1'] };
const NATIVE = { ...SPA, clientId: 'native', redirectUris: ['http://127.0.0.1:49152/cb', 'http://[::1]:49152/cb'] };
const OFF = { ...SPA, clientId: 'off' };

/** An error page: 400 HTML, no Location, no link, and nothing of the rejected URI (checklist A1 "error page"). */
function expectErrorPage(res: TestResponse): void {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  expect(res.text).not.toMatch(/<a[\s>]/i);
  expect(res.text).not.toMatch(/href=/i);
}

/**
 * Errors before the client and its redirect URI are trusted are shown as a page, never redirected
 * (RFC 6749 section 3.1.2.4 and 4.1.2.1, RFC 9700 section 4.1.3; checklist A1-A6; Authlib 4.1 items 2-7, 15).
 */
describe.each(testMatrix())('authorization request validation on %s/%s', (platform, db) => {
  let t: TestApp;
  let alice: TestBrowser;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clients: [WEB, SPA, FIRST, MULTI, TENANT, NATIVE, OFF] });
    await t.app.get(ClientService).setDisabled('off', true);
    alice = await signedInBrowser(t);
  });
  afterAll(() => t?.close());

  const params = (extra: Record<string, string> = {}) => codeRequest(WEB, pkce().challenge, extra);

  it('rejects a missing, unknown or disabled client_id with a page, even for a URI registered elsewhere (A6)', async () => {
    const before = await createdRows(t);
    const { client_id: _none, ...missing } = params();
    expectErrorPage(await request(`${t.url}${authorizePath(missing)}`));
    expectErrorPage(await request(`${t.url}${authorizePath(params({ client_id: 'nobody' }))}`));
    expectErrorPage(await request(`${t.url}${authorizePath(codeRequest(OFF, pkce().challenge))}`));
    expectErrorPage(await request(`${t.url}${authorizePath(params({ client_id: 'spa' }))}`)); // web's URI, spa's id
    expect(await createdRows(t)).toEqual(before);
  });

  it.each([
    ['anonymous', false],
    ['logged in', true],
  ])('rejects an unregistered redirect_uri with a page and no code, %s (A1)', async (_name, loggedIn) => {
    const before = await createdRows(t);
    const browser = loggedIn ? alice : new TestBrowser(t);
    const res = await browser.get(authorizePath(params({ redirect_uri: 'https://evil.test/cb' })));
    expectErrorPage(res);
    expect(res.text).not.toContain('evil.test');
    expect(await createdRows(t)).toEqual(before);
  });

  it('compares redirect URIs as exact strings: every mutation is an error page (A2)', async () => {
    const mutations = [
      'https://client.test/cb/', 'https://client.test/CB', 'https://CLIENT.TEST/cb', 'HTTPS://client.test/cb',
      'https://client.test:443/cb', 'https://client.test/cb#x', 'https://client.test/cb#', 'https://client.test/cb?x=1',
      'https://client.test/cbx', 'https://client.test.evil.test/cb', 'https://client.test@evil.test/cb',
      'https://client.test%40evil.test/cb', 'https://client.test\\@evil.test/cb', 'https://client.test/cb/../evil',
      'https://client.test/cb/%2e%2e/evil', 'https://client.test/cb%2f..%2fevil', 'https://client.test/cb%252f..',
      'https://client.test/cb/..;/evil', 'https://client.test/c%62', 'https://client.test/cb%09', 'https://client.test/cb%00',
      'https://clіent.test/cb', 'http://client.test/cb', ' https://client.test/cb', 'https://client.test/cb ',
    ];
    for (const uri of mutations) {
      const res = await alice.get(authorizePath(params({ redirect_uri: uri })));
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
    }
  });

  it('keeps a registered query and rejects every change to it (A3)', async () => {
    const ok = await alice.get(authorizePath(codeRequest(TENANT, pkce().challenge)));
    expect(ok.headers.get('location')).toMatch(/^https:\/\/client\.test\/cb\?tenant=1&code=[^&]+&state=st-123&iss=/);
    for (const uri of ['https://client.test/cb?tenant=2', 'https://client.test/cb?tenant=1&x=y', 'https://client.test/cb?x=y&tenant=1']) {
      expectErrorPage(await alice.get(authorizePath(codeRequest(TENANT, pkce().challenge, { redirect_uri: uri }))));
    }
  });

  it('needs redirect_uri when the client registered several, and defaults to the only one otherwise (A4)', async () => {
    const { redirect_uri: _a, ...noUri } = codeRequest(MULTI, pkce().challenge);
    expectErrorPage(await request(`${t.url}${authorizePath(noUri)}`));
    const { redirect_uri: _b, ...single } = codeRequest(FIRST, pkce().challenge);
    clientRedirect(await alice.get(authorizePath(single)), 'https://first.test/cb');
  });

  it('accepts loopback redirect URIs only exactly as registered (A5)', async () => {
    for (const uri of ['http://127.0.0.1:49152/cb', 'http://[::1]:49152/cb']) {
      const res = await request(`${t.url}${authorizePath(codeRequest(NATIVE, pkce().challenge, { redirect_uri: uri }))}`);
      expect(res.status, uri).toBe(303);
      expect(res.headers.get('location')).toContain('/oauth/interaction/');
    }
    for (const uri of [
      'http://127.0.0.1:49152/cb/x', 'http://127.0.0.1:49152/cb?x=1', 'http://127.0.0.2:49152/cb', 'http://localhost:49152/cb',
      'http://127.0.0.1.evil.test/cb', 'https://127.0.0.1:49152/cb', 'http://127.0.0.1:49153/cb',
    ]) {
      expectErrorPage(await request(`${t.url}${authorizePath(codeRequest(NATIVE, pkce().challenge, { redirect_uri: uri }))}`));
    }
  });

  it.each(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge'])(
    'rejects a repeated %s with a page (RFC 6749 section 3.1; Authlib 4.1 item 7)',
    async (name) => {
      const query = `${authorizePath(params()).slice('/oauth/authorize?'.length)}&${name}=${encodeURIComponent(params()[name]!)}`;
      expectErrorPage(await alice.get(`/oauth/authorize?${query}`));
    },
  );

  it('rejects structured and oversized parameters with a page', async () => {
    expectErrorPage(await alice.get(`${authorizePath(params())}&x[y]=1`));
    expectErrorPage(await alice.get(authorizePath(params({ state: 'a'.repeat(8193) }))));
  });

  it('accepts POST with a form body and rejects POST with any other body (RFC 6749 section 3.1)', async () => {
    const ok = await postForm(`${t.url}/oauth/authorize`, params());
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('/oauth/interaction/');
    const json = await request(`${t.url}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params()),
    });
    expectErrorPage(json);
    const repeated = await postForm(`${t.url}/oauth/authorize`, `${new URLSearchParams(params())}&client_id=web`);
    expectErrorPage(repeated);
  });
});
