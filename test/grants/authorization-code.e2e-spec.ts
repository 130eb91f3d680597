import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase } from '../token-endpoint/db-inspector.js';
import { callApi, expectOAuthError } from '../token-endpoint/helpers.js';
import {
  ALICE, bootGrantApp, CLIENT_SEEDS, codeTokens, expectTokens, issueCode, MACHINE, NO_REFRESH, OTHER_REDIRECT, post, POSTER, redeem, redirectOf,
  refresh, SPA, SPA2, WEB, WEB2, type GrantApp,
} from './grant-helpers.js';

/**
 * The authorization_code grant at the token endpoint (RFC 6749 section 4.1.3, OAuth 2.1 section 4.1.3):
 * Authlib behaviours 4.3 (33-45, "ours:" values) and security checklist 21, 22, 25, 26.
 */
describe.each(testMatrix())('authorization_code grant on %s/%s', (platform, db) => {
  let g: GrantApp;
  let t: TestApp;

  beforeAll(async () => {
    g = await bootGrantApp(platform, db);
    t = g.t;
  });
  afterAll(() => g?.t.close());

  describe('success', () => {
    it('answers 200 with a Bearer token, a refresh token for a client allowed refresh_token, and the scope (Authlib 33)', async () => {
      const tokens = await codeTokens(t, WEB);
      expect(tokens.scope).toBe('a b');
      expect(tokens.expires_in).toBe(3600);
      const api = await callApi(t, '/api/any', tokens.access_token);
      expect(api.status, api.text).toBe(200);
      expect(api.body).toMatchObject({ sub: ALICE, clientId: WEB.id, scopes: ['a', 'b'] });
    });

    it('issues no refresh token to a client not allowed refresh_token (Authlib 33)', async () => {
      const tokens = await codeTokens(t, NO_REFRESH, { scopes: ['a'] });
      expect(tokens.scope).toBe('a');
    });

    it('lets a public client redeem with client_id and PKCE (Authlib 34)', async () => {
      const tokens = await codeTokens(t, SPA);
      expect(tokens.refresh_token).toBeDefined();
    });

    it('lets a client_secret_post client redeem, refresh token included (Authlib 35)', async () => {
      await codeTokens(t, POSTER, { scopes: ['a'] });
    });

    it('omits scope when the code carries none', async () => {
      const tokens = await codeTokens(t, WEB, { scopes: [] });
      expect(tokens).not.toHaveProperty('scope');
    });

    it('ignores a scope parameter: the token carries the scopes the code was issued with (Authlib 44)', async () => {
      const res = await redeem(t, WEB, await issueCode(t, WEB), { scope: 'c' });
      expect(expectTokens(res, { refreshToken: true }).scope).toBe('a b');
    });

    it('stores the code and the refresh token only as hashes', async () => {
      const issued = await issueCode(t, WEB);
      const tokens = expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
      const inspector = await inspectDatabase(t.database);
      try {
        const dump = JSON.stringify([await inspector.rows('authnest_authorization_codes'), await inspector.rows('authnest_refresh_tokens')]);
        expect(dump).not.toContain(issued.code);
        expect(dump).not.toContain(tokens.refresh_token);
      } finally {
        await inspector.close();
      }
    });
  });

  describe('refusals', () => {
    it('answers invalid_request without code (Authlib 36)', async () => {
      expectOAuthError(await post(t, '/oauth/token', WEB, { grant_type: 'authorization_code', redirect_uri: redirectOf(WEB) }), 400, 'invalid_request');
    });

    it('answers invalid_grant for an unknown code (Authlib 37)', async () => {
      expectOAuthError(await redeem(t, WEB, { code: 'not-a-code', verifier: 'x'.repeat(43) }), 400, 'invalid_grant');
    });

    it('answers invalid_grant when the account is gone or inactive (Authlib 38 ours, checklist 26)', async () => {
      g.accounts.add('carol');
      const gone = await issueCode(t, WEB, { accountId: 'carol' });
      g.accounts.remove('carol');
      expectOAuthError(await redeem(t, WEB, gone), 400, 'invalid_grant');
      g.accounts.add('dave');
      const inactive = await issueCode(t, WEB, { accountId: 'dave' });
      g.accounts.setActive('dave', false);
      expectOAuthError(await redeem(t, WEB, inactive), 400, 'invalid_grant');
      g.accounts.setActive('dave', true);
      expectTokens(await redeem(t, WEB, inactive), { refreshToken: true });
    });

    it('requires the redirect_uri of the authorization request when it sent one (Authlib 39, 40)', async () => {
      const issued = await issueCode(t, WEB);
      expectOAuthError(await post(t, '/oauth/token', WEB, { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier }), 400, 'invalid_grant');
      expectOAuthError(await redeem(t, WEB, await issueCode(t, WEB), { redirect_uri: OTHER_REDIRECT }), 400, 'invalid_grant');
      expectOAuthError(await redeem(t, WEB, await issueCode(t, WEB), { redirect_uri: `${redirectOf(WEB)}/` }), 400, 'invalid_grant');
    });

    it('accepts an omitted or identical redirect_uri when the authorization request sent none, and refuses a different one', async () => {
      const unsent = { redirectUriSent: false };
      const omitted = await issueCode(t, WEB, unsent);
      expectTokens(await post(t, '/oauth/token', WEB, { grant_type: 'authorization_code', code: omitted.code, code_verifier: omitted.verifier }), {
        refreshToken: true,
      });
      expectTokens(await redeem(t, WEB, await issueCode(t, WEB, unsent)), { refreshToken: true });
      expectOAuthError(await redeem(t, WEB, await issueCode(t, WEB, unsent), { redirect_uri: OTHER_REDIRECT }), 400, 'invalid_grant');
    });

    it("answers invalid_grant for another client's code and leaves it redeemable by its own client (Authlib 42, checklist 21)", async () => {
      const webCode = await issueCode(t, WEB);
      expectOAuthError(await redeem(t, WEB2, webCode, { redirect_uri: redirectOf(WEB) }), 400, 'invalid_grant');
      const spaCode = await issueCode(t, SPA);
      expectOAuthError(await redeem(t, SPA2, spaCode), 400, 'invalid_grant');
      expectOAuthError(await redeem(t, WEB, spaCode, { redirect_uri: redirectOf(SPA) }), 400, 'invalid_grant');
      expectTokens(await redeem(t, WEB, webCode), { refreshToken: true });
      expectTokens(await redeem(t, SPA, spaCode), { refreshToken: true });
    });

    it('answers unauthorized_client to a client not allowed authorization_code (Authlib 43)', async () => {
      expectOAuthError(await redeem(t, MACHINE, await issueCode(t, MACHINE)), 400, 'unauthorized_client');
    });

    it('accepts a code until its lifetime ends and refuses it from then on (checklist 22)', async () => {
      const early = await issueCode(t, WEB);
      const late = await issueCode(t, WEB);
      g.clock.advance(59);
      expectTokens(await redeem(t, WEB, early), { refreshToken: true });
      g.clock.advance(1);
      expectOAuthError(await redeem(t, WEB, late), 400, 'invalid_grant');
    });

    it('never takes a token of another type for a code, or a code for a refresh token (checklist 25)', async () => {
      const tokens = await codeTokens(t, WEB);
      const asCode = (code: string) => redeem(t, WEB, { code, verifier: 'v'.repeat(43) });
      expectOAuthError(await asCode(tokens.refresh_token!), 400, 'invalid_grant');
      expectOAuthError(await asCode(tokens.access_token), 400, 'invalid_grant');
      const issued = await issueCode(t, WEB);
      expectOAuthError(await refresh(t, WEB, issued.code), 400, 'invalid_grant');
      expectTokens(await redeem(t, WEB, issued), { refreshToken: true });
    });

    it('answers invalid_client once the client is disabled between authorization and token request (checklist 26)', async () => {
      const issued = await issueCode(t, WEB2);
      const clients = t.app.get(ClientService);
      await clients.setDisabled(WEB2.id, true);
      try {
        expectOAuthError(await redeem(t, WEB2, issued), 401, 'invalid_client');
      } finally {
        await clients.setDisabled(WEB2.id, false);
      }
      expectTokens(await redeem(t, WEB2, issued), { refreshToken: true });
    });
  });

  it('fails closed with server_error when the host app provides no AccountService (a misconfiguration, not the client\'s fault)', async () => {
    // Seeded user-grant clients refuse to boot without one; a client added at runtime can still meet the gap.
    const bare = await bootTestApp({ platform, db, options: { scopes: ['a', 'b', 'c'] } });
    try {
      const seed = CLIENT_SEEDS[0]!;
      await bare.app.get(ClientService).upsert({
        clientId: WEB.id, clientSecret: WEB.secret, name: WEB.id, authMethods: ['client_secret_basic'], grantTypes: seed.grantTypes!,
        scopes: seed.scopes!, defaultScopes: [], redirectUris: seed.redirectUris!, firstParty: false, allowIntrospection: false,
      });
      const issued = await issueCode(bare, WEB);
      expectOAuthError(await redeem(bare, WEB, issued), 500, 'server_error');
    } finally {
      await bare.close();
    }
  });
});
