/**
 * Disabling a client through `AuthAdminService` (issue 11 item 2): it is refused wherever a client authenticates or is
 * looked up (token, introspection and revocation callers, device authorization, the authorization endpoint with a
 * page and no redirect, registration management), and its live tokens stop working at once: the bearer guard's
 * cached verification is dropped, introspection says inactive, its refresh tokens are revoked. Re-enabling lets it
 * authenticate again; its old tokens stay revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, type ClientSeed } from '../../src/index.js';
import { getMe, issueToken, requestToken } from '../support/app-helpers.js';
import { authorizePath, pkce, TestBrowser } from '../support/authorization-flow.js';
import { codeRequest, SCOPES, WEB } from '../support/flow-app.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { INITIAL_ACCESS_TOKEN, manage, registerOk } from '../rfc7591/support.js';
import { RS, adminOf, aliceTokens, bootAdminApp, expectActive, refresh, type SeenEvent } from './support.js';

const SVC: ClientSeed & { clientSecret: string } = { clientId: 'svc', clientSecret: 'svc-secret-000001', scopes: ['posts:read'], allowIntrospection: true };
const OPAQUE: ClientSeed & { clientSecret: string } = { clientId: 'svc-opaque', clientSecret: 'svc-opaque-secret-01', scopes: ['posts:read'], accessTokenFormat: 'opaque' };
const TV: ClientSeed = { clientId: 'tv', grantTypes: [DEVICE_CODE_GRANT_TYPE], scopes: SCOPES };
const KIOSK: ClientSeed & { clientSecret: string } = { clientId: 'kiosk', clientSecret: 'kiosk-secret-000001', grantTypes: [DEVICE_CODE_GRANT_TYPE], scopes: SCOPES };

describe.each(testMatrix())('a client disabled through AuthAdminService on %s/%s', (platform, db) => {
  let t: TestApp;
  let events: SeenEvent[];

  beforeAll(async () => {
    ({ t, events } = await bootAdminApp(platform, db, {
      options: {
        clients: [WEB, RS, SVC, OPAQUE, TV, KIOSK],
        registration: { mode: 'initial-access-token', initialAccessTokens: [INITIAL_ACCESS_TOKEN], grantTypes: ['client_credentials'], rateLimit: { max: 100_000, window: 900 } },
      },
    }));
  });
  afterAll(() => t?.close());

  it("revokes its tokens at once (cached JWT, opaque, refresh) and refuses it at the token, introspection and revocation endpoints", async () => {
    const jwt = await issueToken(t.url, SVC.clientId, SVC.clientSecret);
    const opaque = await issueToken(t.url, OPAQUE.clientId, OPAQUE.clientSecret);
    for (const token of [jwt, opaque]) expect((await getMe(t.url, token)).status).toBe(200); // verified and cached
    await expectActive(t, jwt, true);

    const { revoked, client } = await adminOf(t).disableClient(SVC.clientId);
    expect(client.disabled).toBe(true);
    expect(revoked.accessTokens).toBe(1);
    await adminOf(t).disableClient(OPAQUE.clientId);

    for (const token of [jwt, opaque]) {
      expect((await getMe(t.url, token)).status).toBe(401);
      await expectActive(t, token, false);
    }
    expectOAuthError(await requestToken(t.url, SVC.clientId, SVC.clientSecret), 401, 'invalid_client');
    const asSvc = { authorization: basic(SVC.clientId, SVC.clientSecret) };
    expectOAuthError(await postForm(`${t.url}/oauth/introspect`, { token: opaque }, asSvc), 401, 'invalid_client');
    expectOAuthError(await postForm(`${t.url}/oauth/revoke`, { token: jwt }, asSvc), 401, 'invalid_client');
    expect(events).toContainEqual({ name: 'authnest.client.updated', payload: expect.objectContaining({ clientId: 'svc', change: 'disabled', source: 'admin-service' }) });
    expect(events).toContainEqual({ name: 'authnest.grants.revoked', payload: expect.objectContaining({ clientId: 'svc', count: 1, source: 'admin-service' }) });

    await adminOf(t).enableClient(SVC.clientId);
    const fresh = await issueToken(t.url, SVC.clientId, SVC.clientSecret);
    expect((await getMe(t.url, fresh)).status).toBe(200);
    expect((await getMe(t.url, jwt)).status).toBe(401);
    expect(events).toContainEqual({ name: 'authnest.client.updated', payload: expect.objectContaining({ clientId: 'svc', change: 'enabled' }) });
  });

  it("revokes a user's tokens of the client, refuses its refresh, and answers its authorization requests with a page", async () => {
    const { access, refresh: refreshToken } = await aliceTokens(t);
    expect((await getMe(t.url, access)).status).toBe(200);
    const { revoked } = await adminOf(t).disableClient(WEB.clientId);
    expect(revoked).toMatchObject({ accessTokens: 1, refreshTokens: 1 });
    expect((await getMe(t.url, access)).status).toBe(401);
    await expectActive(t, access, false);
    await expectActive(t, refreshToken, false);
    expectOAuthError(await refresh(t, refreshToken), 401, 'invalid_client');
    const page = await new TestBrowser(t).get(authorizePath(codeRequest(WEB, pkce().challenge)));
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(page.text).toContain('unknown or disabled');
    await adminOf(t).enableClient(WEB.clientId);
    expectOAuthError(await refresh(t, refreshToken), 400, 'invalid_grant');
  });

  it('refuses a disabled public or confidential device client at the device authorization endpoint', async () => {
    expect((await postForm(`${t.url}/oauth/device_authorization`, { client_id: TV.clientId })).status).toBe(200);
    await adminOf(t).disableClient(TV.clientId);
    await adminOf(t).disableClient(KIOSK.clientId);
    expectOAuthError(await postForm(`${t.url}/oauth/device_authorization`, { client_id: TV.clientId }), 401, 'invalid_client');
    expectOAuthError(await postForm(`${t.url}/oauth/device_authorization`, {}, { authorization: basic(KIOSK.clientId, KIOSK.clientSecret) }), 401, 'invalid_client');
  });

  it('refuses registration management (RFC 7592) of a disabled registered client until it is enabled', async () => {
    const registered = await registerOk(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', client_name: 'Registered' });
    expect((await manage(registered.uri, 'GET', registered.token)).status).toBe(200);
    await adminOf(t).disableClient(registered.clientId);
    const refused = await manage(registered.uri, 'GET', registered.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await manage(registered.uri, 'PUT', registered.token, { ...registered.body, client_name: 'Changed' })).status).toBe(401);
    expect((await manage(registered.uri, 'DELETE', registered.token)).status).toBe(401);
    expect((await adminOf(t).getClient(registered.clientId)).name).toBe('Registered');
    await adminOf(t).enableClient(registered.clientId);
    expect((await manage(registered.uri, 'GET', registered.token)).status).toBe(200);
  });
});
