import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { callApi, expectBasicChallenge, expectOAuthError } from '../token-endpoint/helpers.js';
import {
  ALICE, bootGrantApp, CLIENT_SEEDS, codeTokens, expectActive, expectInactive, expectTokens, post, refresh, SPA, SPA2, WEB, WEB2,
  type GrantApp,
} from './grant-helpers.js';

/**
 * The refresh_token grant (RFC 6749 section 6, OAuth 2.1 section 4.3): Authlib behaviours 4.8 (80-88, "ours:"
 * values) and security checklist 27, 29, 30, 32.
 */
describe.each(testMatrix())('refresh_token grant on %s/%s', (platform, db) => {
  let g: GrantApp;
  let t: TestApp;

  beforeAll(async () => {
    g = await bootGrantApp(platform, db, { accessToken: { format: 'opaque' } });
    t = g.t;
  });
  afterAll(() => g?.t.close());

  it('rotates: 200 with a new access token and a new refresh token, with no-store (checklist 27)', async () => {
    const first = await codeTokens(t, WEB);
    const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.scope).toBe('a b');
    const api = await callApi(t, '/api/any', second.access_token);
    expect(api.body).toMatchObject({ sub: ALICE, clientId: WEB.id, scopes: ['a', 'b'] });
    await expectInactive(t, first.refresh_token!);
    await expectActive(t, second.refresh_token!);
    // The first access token is not revoked by a rotation.
    await expectActive(t, first.access_token);
  });

  it('lets a public client refresh with its client_id', async () => {
    const first = await codeTokens(t, SPA);
    expectTokens(await refresh(t, SPA, first.refresh_token!), { refreshToken: true });
  });

  it('answers 401 invalid_client without authentication, with a wrong secret or an unknown client (Authlib 80, checklist 29)', async () => {
    const { refresh_token: token } = await codeTokens(t, WEB);
    expectBasicChallenge(await refresh(t, { id: WEB.id, secret: 'wrong-secret-000000' }, token!), t.issuer);
    expectBasicChallenge(await refresh(t, { id: 'nobody', secret: 'nobody-secret-00000' }, token!), t.issuer);
    expectOAuthError(await post(t, '/oauth/token', null, { grant_type: 'refresh_token', refresh_token: token! }), 401, 'invalid_client');
    expectTokens(await refresh(t, WEB, token!), { refreshToken: true });
  });

  it('answers invalid_request without refresh_token (Authlib 81)', async () => {
    expectOAuthError(await post(t, '/oauth/token', WEB, { grant_type: 'refresh_token' }), 400, 'invalid_request');
  });

  it('answers invalid_grant for an unknown refresh token (Authlib 82)', async () => {
    expectOAuthError(await refresh(t, WEB, 'not-a-refresh-token'), 400, 'invalid_grant');
    expectOAuthError(await refresh(t, WEB, 'x'.repeat(2000)), 400, 'invalid_grant');
  });

  it("answers invalid_grant for another client's refresh token and leaves it usable (Authlib 83, checklist 29)", async () => {
    const web = await codeTokens(t, WEB);
    expectOAuthError(await refresh(t, WEB2, web.refresh_token!), 400, 'invalid_grant');
    const spa = await codeTokens(t, SPA);
    expectOAuthError(await refresh(t, SPA2, spa.refresh_token!), 400, 'invalid_grant');
    expectTokens(await refresh(t, WEB, web.refresh_token!), { refreshToken: true });
    expectTokens(await refresh(t, SPA, spa.refresh_token!), { refreshToken: true });
  });

  it('answers invalid_scope for a broader or malformed scope (Authlib 84, checklist 30)', async () => {
    const { refresh_token: token } = await codeTokens(t, WEB);
    expectOAuthError(await refresh(t, WEB, token!, { scope: 'a b c' }), 400, 'invalid_scope');
    expectOAuthError(await refresh(t, WEB, token!, { scope: 'c' }), 400, 'invalid_scope');
    expectOAuthError(await refresh(t, WEB, token!, { scope: 'a "b"' }), 400, 'invalid_scope');
    const none = await codeTokens(t, WEB, { scopes: [] });
    expectOAuthError(await refresh(t, WEB, none.refresh_token!, { scope: 'a' }), 400, 'invalid_scope');
    expectTokens(await refresh(t, WEB, token!), { refreshToken: true });
  });

  it('narrows the access token to a requested subset while the new refresh token keeps the full scope (checklist 30)', async () => {
    const { refresh_token: token } = await codeTokens(t, WEB);
    const narrowed = expectTokens(await refresh(t, WEB, token!, { scope: 'a' }), { refreshToken: true });
    expect(narrowed.scope).toBe('a');
    expect((await callApi(t, '/api/any', narrowed.access_token)).body.scopes).toEqual(['a']);
    expect((await expectActive(t, narrowed.refresh_token!)).scope).toBe('a b');
    const full = expectTokens(await refresh(t, WEB, narrowed.refresh_token!), { refreshToken: true });
    expect(full.scope).toBe('a b');
  });

  it('keeps the original scope when none or an equal one is requested (Authlib 87)', async () => {
    const { refresh_token: token } = await codeTokens(t, WEB);
    const same = expectTokens(await refresh(t, WEB, token!, { scope: 'b a' }), { refreshToken: true });
    expect(same.scope?.split(' ').sort()).toEqual(['a', 'b']);
    expect(expectTokens(await refresh(t, WEB, same.refresh_token!), { refreshToken: true }).scope).toBe('a b');
  });

  it("answers invalid_grant and revokes the grant when the token's account is gone or inactive (Authlib 85 ours, checklist 32)", async () => {
    for (const [name, disable] of [
      ['erin', (id: string) => g.accounts.remove(id)],
      ['frank', (id: string) => g.accounts.setActive(id, false)],
    ] as const) {
      g.accounts.add(name);
      const tokens = await codeTokens(t, WEB, { accountId: name });
      disable(name);
      expectOAuthError(await refresh(t, WEB, tokens.refresh_token!), 400, 'invalid_grant');
      g.accounts.add(name);
      expectOAuthError(await refresh(t, WEB, tokens.refresh_token!), 400, 'invalid_grant');
      await expectInactive(t, tokens.access_token);
      expect((await callApi(t, '/api/any', tokens.access_token)).status).toBe(401);
    }
  });

  it('answers unauthorized_client once the client is no longer allowed refresh_token (Authlib 86)', async () => {
    const { refresh_token: token } = await codeTokens(t, WEB2);
    const clients = t.app.get(ClientService);
    const seed = CLIENT_SEEDS.find((client) => client.clientId === WEB2.id)!;
    const resolved = { name: WEB2.id, authMethods: ['client_secret_basic' as const], defaultScopes: [], redirectUris: [], firstParty: false, allowIntrospection: false };
    await clients.upsert({ ...resolved, clientId: WEB2.id, clientSecret: WEB2.secret, grantTypes: ['authorization_code'], scopes: seed.scopes ?? [] });
    expectOAuthError(await refresh(t, WEB2, token!), 400, 'unauthorized_client');
    await clients.upsert({ ...resolved, clientId: WEB2.id, clientSecret: WEB2.secret, grantTypes: seed.grantTypes!, scopes: seed.scopes ?? [] });
    expectTokens(await refresh(t, WEB2, token!), { refreshToken: true });
  });

  it('answers invalid_client once the client is disabled (checklist 26, 29)', async () => {
    const { refresh_token: token } = await codeTokens(t, SPA2);
    const clients = t.app.get(ClientService);
    await clients.setDisabled(SPA2.id, true);
    try {
      expectOAuthError(await refresh(t, SPA2, token!), 401, 'invalid_client');
    } finally {
      await clients.setDisabled(SPA2.id, false);
    }
    expectTokens(await refresh(t, SPA2, token!), { refreshToken: true });
  });

  it('never takes an access token or a code for a refresh token (checklist 25)', async () => {
    const tokens = await codeTokens(t, WEB);
    expectOAuthError(await refresh(t, WEB, tokens.access_token), 400, 'invalid_grant');
  });
});
