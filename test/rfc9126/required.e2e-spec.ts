import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { authorizePath, clientRedirect, pkce, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootRegistrationApp, manage, register, registerOk } from '../rfc7591/support.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { authorizeWith, expectErrorPage, push, pushForm, pushOk } from './support.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const WEB: ClientSeed = { clientId: 'req-web', clientSecret: 'req-web-secret-01', grantTypes: ['authorization_code'], scopes: ['profile'], redirectUris: ['https://req-web.test/cb'] };
const TV: ClientSeed = { clientId: 'req-tv', grantTypes: [DEVICE_GRANT], scopes: ['profile'] };
const REGISTERED_REDIRECT = 'https://registered.test/cb';

/**
 * `par.required` (RFC 9126 section 5): every client must push; the metadata says so; the device flow (no
 * authorization endpoint) is not affected. Dynamic registration accepts `require_pushed_authorization_requests`
 * (section 6), and a registered client's errors stay pages at the authorization endpoint and JSON at the PAR endpoint.
 */
describe.each(testMatrix())('required pushed authorization requests on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, {
      registration: { mode: 'open', grantTypes: ['authorization_code'], allowedScopes: ['profile'], rateLimit: { max: 100_000, window: 900 } },
      options: { par: { required: true, ttl: 120 }, clients: [WEB, TV] },
    });
  });
  afterAll(() => t?.close());

  it('says so in the metadata', async () => {
    const { body } = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect(body).toMatchObject({ require_pushed_authorization_requests: true, pushed_authorization_request_endpoint: `${t.issuer}/oauth/par` });
  });

  it("refuses a plain request at the client's redirect URI, and goes on with a pushed one (expires_in is par.ttl)", async () => {
    const plain = clientRedirect(await new TestBrowser(t).get(authorizePath({ client_id: WEB.clientId, ...pushForm(WEB, pkce().challenge, { scope: 'profile' }) })), WEB.redirectUris![0]!);
    expect([plain.get('error'), plain.get('state')]).toEqual(['invalid_request', 'st-par']);
    const res = await push(t, WEB, pushForm(WEB, pkce().challenge, { scope: 'profile' }));
    expect([res.status, res.body.expires_in]).toEqual([201, 120]);
    expect((await authorizeWith(new TestBrowser(t), WEB, String(res.body.request_uri))).status).toBe(303);
  });

  it('leaves the device flow alone', async () => {
    const res = await postForm(`${t.url}/oauth/device_authorization`, { client_id: TV.clientId, scope: 'profile' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.device_code).toEqual(expect.any(String));
  });

  it('registers require_pushed_authorization_requests (a boolean), and says it back', async () => {
    const registered = await registerOk(t, {
      redirect_uris: [REGISTERED_REDIRECT],
      token_endpoint_auth_method: 'none',
      scope: 'profile',
      require_pushed_authorization_requests: true,
    });
    expect(registered.body.require_pushed_authorization_requests).toBe(true);
    expect((await manage(registered.uri, 'GET', registered.token)).body.require_pushed_authorization_requests).toBe(true);
    const row = (await tableRows(t.app, 'ClientEntity')).find((client) => client.client_id === registered.clientId)!;
    expect([true, 1]).toContain(row.require_pushed_authorization_requests);
    expect((await register(t, { redirect_uris: [REGISTERED_REDIRECT], token_endpoint_auth_method: 'none', require_pushed_authorization_requests: 'yes' })).body.error).toBe('invalid_client_metadata');

    const client: ClientSeed = { clientId: registered.clientId, redirectUris: [REGISTERED_REDIRECT] };
    // A registered client's redirect URI is its registrant's: the refusal of a plain request is a page.
    expectErrorPage(await new TestBrowser(t).get(authorizePath({ client_id: client.clientId, ...pushForm(client, pkce().challenge, { scope: 'profile' }) })), /must be pushed/);
    // At the PAR endpoint its errors are JSON with their own code.
    expectOAuthError(await push(t, client, pushForm(client, pkce().challenge, { scope: 'admin' })), 400, 'invalid_scope');
    const requestUri = await pushOk(t, client, pushForm(client, pkce().challenge, { scope: 'profile' }));
    expect((await authorizeWith(new TestBrowser(t), client, requestUri)).status).toBe(303);
  });
});
