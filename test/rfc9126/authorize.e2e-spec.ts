import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { createdRows } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, redeemCode } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { authorizeWith, expectErrorPage, finishLogin, PAR_ONLY, PAR_SPA, PAR_WEB, pushForm, pushOk } from './support.js';

const INVALID_REQUEST_URI = /invalid_request_uri/;

/**
 * The authorization endpoint with a pushed request (RFC 9126 section 4): `client_id` and `request_uri` stand for the
 * whole request (other parameters are ignored), used once, by its own client, before it expires; every unusable
 * `request_uri` is a 400 page, never a redirect, and one that is not a pushed request's URN is never fetched
 * (security checklist 92). The login, consent and code that follow are the usual ones.
 */
describe.each(testMatrix())('authorization requests by request_uri on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [PAR_WEB, PAR_SPA, PAR_ONLY] });
  });
  afterAll(() => t?.close());

  it.each([
    ['confidential', PAR_WEB],
    ['public', PAR_SPA],
  ] as const)('a %s client pushes, alice logs in and consents, the code is the pushed request’s; other query parameters are ignored', async (_kind, client) => {
    const { verifier, challenge } = pkce();
    const requestUri = await pushOk(t, client, pushForm(client, challenge, { nonce: 'n-pushed' }));
    const ignored = { redirect_uri: 'https://evil.test/cb', scope: 'openid email', state: 'forged', code_challenge: pkce().challenge, prompt: 'none' };
    const done = await authorizeWithLogin(new TestBrowser(t), { client_id: client.clientId, request_uri: requestUri, ...ignored });
    const callback = clientRedirect(done, client.redirectUris![0]!);
    expect(callback.get('state')).toBe('st-par');
    const tokens = await redeemCode(t, client, callback.get('code')!, verifier);
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body.scope).toBe('openid profile');
    const claims = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: client.clientId, nonce: 'n-pushed', sub: 'user-alice' });
  });

  it('is used once: a second use is a page, while the first one’s login and consent go on to a code', async () => {
    const { verifier, challenge } = pkce();
    const requestUri = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, challenge));
    const browser = new TestBrowser(t);
    const first = await authorizeWith(browser, PAR_WEB, requestUri);
    expect(first.status, first.text).toBe(303);
    expectErrorPage(await authorizeWith(new TestBrowser(t), PAR_WEB, requestUri), INVALID_REQUEST_URI);
    expectErrorPage(await authorizeWith(browser, PAR_WEB, requestUri), INVALID_REQUEST_URI);
    const code = (await finishLogin(browser, first, PAR_WEB.redirectUris![0]!)).get('code')!;
    expect((await redeemCode(t, PAR_WEB, code, verifier)).status).toBe(200);
  });

  it('of two concurrent uses, exactly one goes on', async () => {
    const requestUri = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    const answers = await Promise.all([authorizeWith(new TestBrowser(t), PAR_WEB, requestUri), authorizeWith(new TestBrowser(t), PAR_WEB, requestUri)]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 400]);
  });

  it('expires after par.ttl (60 s): usable at 59 s, a page at 61 s', async () => {
    const early = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    const late = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    clock.advance(59);
    expect((await authorizeWith(new TestBrowser(t), PAR_WEB, early)).status).toBe(303);
    clock.advance(2);
    expectErrorPage(await authorizeWith(new TestBrowser(t), PAR_WEB, late), INVALID_REQUEST_URI);
  });

  it('is bound to its client: another client_id gets a page and does not use it up', async () => {
    const requestUri = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    const before = await createdRows(t);
    expectErrorPage(await authorizeWith(new TestBrowser(t), PAR_SPA, requestUri), INVALID_REQUEST_URI);
    expectErrorPage(await new TestBrowser(t).get(authorizePath({ request_uri: requestUri })), /client_id is missing/);
    expect(await createdRows(t)).toEqual(before);
    expect((await authorizeWith(new TestBrowser(t), PAR_WEB, requestUri)).status).toBe(303);
  });

  it.each([
    ['an unknown reference', `urn:ietf:params:oauth:request_uri:${'A'.repeat(43)}`],
    ['a malformed reference', 'urn:ietf:params:oauth:request_uri:short'],
    ['the bare prefix', 'urn:ietf:params:oauth:request_uri:'],
  ])('shows %s as a page', async (_name, requestUri) => {
    expectErrorPage(await authorizeWith(new TestBrowser(t), PAR_WEB, requestUri), INVALID_REQUEST_URI);
  });

  describe('a request_uri that is not a pushed request’s', () => {
    let canary: Server;
    let connections = 0;
    beforeAll(async () => {
      canary = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => canary.close(() => resolve())));

    it('is request_uri_not_supported on a page, with zero outbound connections', async () => {
      const port = (canary.address() as AddressInfo).port;
      for (const requestUri of [`http://127.0.0.1:${port}/request.jwt`, `https://127.0.0.1:${port}/r`, 'urn:example:other']) {
        expectErrorPage(await authorizeWith(new TestBrowser(t), PAR_WEB, requestUri, { redirect_uri: PAR_WEB.redirectUris![0]! }), /request_uri_not_supported/);
      }
      expect(connections).toBe(0);
    });
  });

  it('works by POST too (the authorization endpoint’s form)', async () => {
    const requestUri = await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    const res = await new TestBrowser(t).post('/oauth/authorize', { client_id: PAR_WEB.clientId, request_uri: requestUri });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toContain('/oauth/interaction/');
  });

  it('a client with requirePushedAuthorizationRequests: a plain request is refused at its redirect URI, a pushed one goes on', async () => {
    const plain = await new TestBrowser(t).get(authorizePath({ client_id: PAR_ONLY.clientId, ...pushForm(PAR_ONLY, pkce().challenge) }));
    const error = clientRedirect(plain, PAR_ONLY.redirectUris![0]!);
    expect([error.get('error'), error.get('state'), error.get('iss')]).toEqual(['invalid_request', 'st-par', t.issuer]);
    expect(error.get('error_description')).toMatch(/must be pushed/);
    const requestUri = await pushOk(t, PAR_ONLY, pushForm(PAR_ONLY, pkce().challenge));
    expect((await authorizeWith(new TestBrowser(t), PAR_ONLY, requestUri)).status).toBe(303);
    // Other clients still may send plain requests.
    expect((await new TestBrowser(t).get(authorizePath({ client_id: PAR_WEB.clientId, ...pushForm(PAR_WEB, pkce().challenge) }))).status).toBe(303);
  });

  it('carries OpenID Connect parameters through: prompt=none, login_hint, claims, then prompt=login and max_age=0 over a session', async () => {
    const redirectUri = PAR_SPA.redirectUris![0]!;
    const browser = new TestBrowser(t);
    const silent = clientRedirect(await authorizeWith(browser, PAR_SPA, await pushOk(t, PAR_SPA, pushForm(PAR_SPA, pkce().challenge, { prompt: 'none' }))), redirectUri);
    expect([silent.get('error'), silent.get('state')]).toEqual(['login_required', 'st-par']);

    const { verifier, challenge } = pkce();
    const claims = JSON.stringify({ id_token: { email: null } });
    const started = await authorizeWith(browser, PAR_SPA, await pushOk(t, PAR_SPA, pushForm(PAR_SPA, challenge, { login_hint: 'alice', claims, nonce: 'n-claims' })));
    const page = await browser.get(started.headers.get('location')!);
    expect(page.text).toContain('id="username" name="username" value="alice"');
    const code = (await finishLogin(browser, started, redirectUri)).get('code')!;
    const tokens = await redeemCode(t, PAR_SPA, code, verifier);
    const idToken = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(idToken).toMatchObject({ email: 'alice@example.com', nonce: 'n-claims' });

    // The session answers a pushed request at once, unless the pushed request asks for a new login.
    expect(clientRedirect(await authorizeWith(browser, PAR_SPA, await pushOk(t, PAR_SPA, pushForm(PAR_SPA, pkce().challenge))), redirectUri).get('code')).toEqual(expect.any(String));
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const again = await authorizeWith(browser, PAR_SPA, await pushOk(t, PAR_SPA, pushForm(PAR_SPA, pkce().challenge, extra)));
      expect(again.headers.get('location'), JSON.stringify(extra)).toContain('/oauth/interaction/');
      expect((await browser.follow(again)).text).toContain('name="password"');
    }
  });
});
