import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { callApi, expectBasicChallenge, expectNoStore, expectOAuthError } from '../token-endpoint/helpers.js';
import {
  bootGrantApp, codeTokens, expectActive, expectInactive, expectTokens, MACHINE, post, POSTER, refresh, revoke, SPA, SPA2, WEB, WEB2,
  type GrantApp,
} from './grant-helpers.js';

/** RFC 7009 section 2.2: 200; ours carries an empty JSON object with no-store. */
function expectRevoked(res: TestResponse): void {
  expect(res.status, res.text).toBe(200);
  expectNoStore(res);
  expect(res.text).toBe('{}');
}

/**
 * Token revocation (RFC 7009): Authlib behaviours 4.14 (140-145, "ours:" values) and security checklist 58-60.
 * Decisions: an unknown hint is 400 unsupported_token_type (Authlib: 401); another client's token is a 200 no-op
 * (Authlib: invalid_grant), so revocation cannot probe for tokens; a revoked JWT access token is inactive at
 * introspection but verified locally until its exp.
 */
describe.each(testMatrix())('revocation endpoint on %s/%s', (platform, db) => {
  describe.each(['opaque', 'jwt'] as const)('with %s access tokens', (format) => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { accessToken: { format } });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('requires client authentication: 401 invalid_client, and the token stays valid (Authlib 140, checklist 58)', async () => {
      const tokens = await codeTokens(t, WEB);
      expectOAuthError(await revoke(t, null, tokens.refresh_token!), 401, 'invalid_client');
      expectBasicChallenge(await revoke(t, { id: WEB.id, secret: 'wrong-secret-000000' }, tokens.refresh_token!), t.issuer);
      expectBasicChallenge(await revoke(t, { id: 'nobody', secret: 'nobody-secret-00000' }, tokens.refresh_token!), t.issuer);
      const bearer = await postForm(`${t.url}/oauth/revoke`, { token: tokens.refresh_token! }, { authorization: `Bearer ${tokens.access_token}` });
      expectOAuthError(bearer, 401, 'invalid_client');
      await expectActive(t, tokens.refresh_token!);
      expectTokens(await refresh(t, WEB, tokens.refresh_token!), { refreshToken: true });
    });

    it('answers GET with 405 and revokes nothing (checklist 58)', async () => {
      const tokens = await codeTokens(t, WEB);
      const res = await request(`${t.url}/oauth/revoke?token=${encodeURIComponent(tokens.access_token)}`, {
        headers: { authorization: basic(WEB.id, WEB.secret!) },
      });
      expectOAuthError(res, 405, 'invalid_request');
      expect(res.headers.get('allow')).toBe('POST');
      await expectActive(t, tokens.access_token);
    });

    it('reads the form body only: JSON is invalid_request', async () => {
      const tokens = await codeTokens(t, WEB);
      const res = await request(`${t.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(WEB.id, WEB.secret!) },
        body: JSON.stringify({ token: tokens.access_token }),
      });
      expectOAuthError(res, 400, 'invalid_request');
      await expectActive(t, tokens.access_token);
    });

    it('answers invalid_request without token (Authlib 141)', async () => {
      expectOAuthError(await post(t, '/oauth/revoke', WEB, {}), 400, 'invalid_request');
      expectOAuthError(await post(t, '/oauth/revoke', WEB, { token_type_hint: 'access_token' }), 400, 'invalid_request');
    });

    it('answers 200 {} for an unknown or garbage token (Authlib 142, checklist 60)', async () => {
      expectRevoked(await revoke(t, WEB, 'not-a-token'));
      expectRevoked(await revoke(t, WEB, 'x'.repeat(4000)));
    });

    it('answers 400 unsupported_token_type to an unknown hint and revokes nothing (Authlib 143 ours)', async () => {
      const tokens = await codeTokens(t, WEB);
      expectOAuthError(await revoke(t, WEB, tokens.access_token, { token_type_hint: 'id_token' }), 400, 'unsupported_token_type');
      await expectActive(t, tokens.access_token);
    });

    it.each([['access_token'], ['refresh_token'], [undefined]])(
      'revokes an access token with hint %s: the hint only orders the search (Authlib 144, checklist 60)',
      async (hint) => {
        const tokens = await codeTokens(t, WEB);
        expectRevoked(await revoke(t, WEB, tokens.access_token, hint ? { token_type_hint: hint } : {}));
        await expectInactive(t, tokens.access_token);
        // Revoking an access token leaves the refresh token alone.
        await expectActive(t, tokens.refresh_token!);
      },
    );

    it(`refuses a revoked ${format === 'opaque' ? 'opaque token' : 'JWT'} at the local guard at once`, async () => {
      const tokens = await codeTokens(t, WEB);
      expect((await callApi(t, '/api/any', tokens.access_token)).status).toBe(200);
      expectRevoked(await revoke(t, WEB, tokens.access_token));
      expect((await callApi(t, '/api/any', tokens.access_token)).status).toBe(401);
    });

    it('revokes a refresh token with hint access_token: the family and its access tokens (checklist 60)', async () => {
      const first = await codeTokens(t, WEB);
      const second = expectTokens(await refresh(t, WEB, first.refresh_token!), { refreshToken: true });
      expectRevoked(await revoke(t, WEB, second.refresh_token!, { token_type_hint: 'access_token' }));
      expectOAuthError(await refresh(t, WEB, second.refresh_token!), 400, 'invalid_grant');
      for (const token of [first.access_token, second.access_token, second.refresh_token!]) await expectInactive(t, token);
    });

    it("answers 200 to another client's token and changes nothing (Authlib 145 ours, checklist 59)", async () => {
      const web = await codeTokens(t, WEB);
      expectRevoked(await revoke(t, WEB2, web.refresh_token!));
      expectRevoked(await revoke(t, MACHINE, web.access_token));
      const spa = await codeTokens(t, SPA);
      expectRevoked(await revoke(t, SPA2, spa.refresh_token!));
      for (const token of [web.refresh_token!, web.access_token, spa.refresh_token!]) await expectActive(t, token);
      expectTokens(await refresh(t, SPA, spa.refresh_token!), { refreshToken: true });
    });

    it('lets a public client revoke its own tokens with its client_id, and a client_secret_post client with the form (RFC 7009 section 2.1)', async () => {
      const spa = await codeTokens(t, SPA);
      expectRevoked(await revoke(t, SPA, spa.refresh_token!));
      expectOAuthError(await refresh(t, SPA, spa.refresh_token!), 400, 'invalid_grant');
      const poster = await codeTokens(t, POSTER, { scopes: ['a'] });
      expectRevoked(await revoke(t, POSTER, poster.access_token));
      await expectInactive(t, poster.access_token);
    });

    it('answers 200 again for a token already revoked', async () => {
      const tokens = await codeTokens(t, WEB);
      expectRevoked(await revoke(t, WEB, tokens.refresh_token!));
      expectRevoked(await revoke(t, WEB, tokens.refresh_token!));
      expectRevoked(await revoke(t, WEB, tokens.access_token));
    });
  });
});
