import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../support/app-helpers.js';
import { basic, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectBasicChallenge, expectNoStore, expectOAuthError } from '../token-endpoint/helpers.js';
import {
  ALICE, bootGrantApp, codeTokens, expectActive, expectInactive, expectTokens, INTROSPECTOR, introspect, MACHINE, refresh, revoke, SPA, WEB,
  type GrantApp,
} from './grant-helpers.js';

/**
 * Token introspection (RFC 7662): Authlib behaviours 4.15 (146-150, "ours:" values) and security checklist 61, 62.
 * Decisions: only clients seeded with `allowIntrospection` may introspect; another authenticated client gets
 * 403 unauthorized_client whatever the token, a public client 401 invalid_client; an unknown hint is 400
 * unsupported_token_type; the hint only orders the search (Authlib 149 answers inactive on a wrong hint).
 */
describe.each(testMatrix())('introspection endpoint on %s/%s', (platform, db) => {
  describe.each(['jwt', 'opaque'] as const)('with %s access tokens', (format) => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { accessToken: { format } });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('requires client authentication: 401 invalid_client (Authlib 146, checklist 61)', async () => {
      const { access_token: token } = await codeTokens(t, WEB);
      expectOAuthError(await introspect(t, token, {}, null), 401, 'invalid_client');
      expectBasicChallenge(await introspect(t, token, {}, { id: INTROSPECTOR.id, secret: 'wrong-secret-0000000' }), t.issuer);
      expectBasicChallenge(await introspect(t, token, {}, { id: 'nobody', secret: 'nobody-secret-00000' }), t.issuer);
    });

    it('refuses a public client (401) and an authenticated client without the right (403), whatever the token (checklist 61)', async () => {
      const { access_token: token } = await codeTokens(t, WEB);
      expectOAuthError(await introspect(t, token, {}, SPA), 401, 'invalid_client');
      for (const subject of [token, 'unknown-token']) {
        expectOAuthError(await introspect(t, subject, {}, WEB), 403, 'unauthorized_client');
        expectOAuthError(await introspect(t, subject, {}, MACHINE), 403, 'unauthorized_client');
      }
    });

    it('answers GET with 405 (checklist 61)', async () => {
      const res = await request(`${t.url}/oauth/introspect?token=x`, { headers: { authorization: basic(INTROSPECTOR.id, INTROSPECTOR.secret!) } });
      expectOAuthError(res, 405, 'invalid_request');
    });

    it('answers invalid_request without token, with or without hint (Authlib 147)', async () => {
      expectOAuthError(await introspect(t, ''), 400, 'invalid_request');
      expectOAuthError(await introspect(t, '', { token_type_hint: 'access_token' }), 400, 'invalid_request');
    });

    it('answers 400 unsupported_token_type to an unknown hint (Authlib 148 ours)', async () => {
      const { access_token: token } = await codeTokens(t, WEB);
      expectOAuthError(await introspect(t, token, { token_type_hint: 'id_token' }), 400, 'unsupported_token_type');
    });

    it('describes an active access token, with or without (even a wrong) hint (Authlib 149, 150; checklist 62)', async () => {
      const { access_token: token } = await codeTokens(t, WEB);
      for (const hint of [{}, { token_type_hint: 'access_token' }, { token_type_hint: 'refresh_token' }] as Record<string, string>[]) {
        const res = await introspect(t, token, hint);
        expect(res.status).toBe(200);
        expectNoStore(res);
        expect(res.body).toEqual({
          active: true,
          token_type: 'Bearer',
          scope: 'a b',
          client_id: WEB.id,
          sub: ALICE,
          aud: t.issuer,
          iss: t.issuer,
          exp: expect.any(Number),
          iat: expect.any(Number),
          jti: expect.any(String),
        });
        expect((res.body.exp as number) - (res.body.iat as number)).toBe(3600);
      }
    });

    it('describes an active refresh token', async () => {
      const { refresh_token: token } = await codeTokens(t, WEB);
      const body = await expectActive(t, token!);
      expect(body).toEqual({
        active: true,
        token_type: 'refresh_token',
        scope: 'a b',
        client_id: WEB.id,
        sub: ALICE,
        exp: expect.any(Number),
        iat: expect.any(Number),
      });
      expect((body.exp as number) - (body.iat as number)).toBe(1_209_600);
    });

    it('describes a client_credentials token with the client as subject', async () => {
      const token = await issueToken(t.url, MACHINE.id, MACHINE.secret!, { scope: 'a' });
      expect(await expectActive(t, token)).toMatchObject({ sub: MACHINE.id, client_id: MACHINE.id, scope: 'a' });
    });

    it('answers exactly {"active":false} with no-store for unknown, malformed, revoked and rotated tokens (checklist 62)', async () => {
      const tokens = await codeTokens(t, WEB);
      const rotated = tokens.refresh_token!;
      expectTokens(await refresh(t, WEB, rotated), { refreshToken: true });
      const revoked = await codeTokens(t, WEB);
      expect((await revoke(t, WEB, revoked.access_token)).status).toBe(200);
      const [header, payload] = tokens.access_token.split('.');
      for (const token of ['unknown-token', 'a.b.c', `${header}.${payload}.AAAA`, 'x'.repeat(3000), rotated, revoked.access_token]) {
        const res = await introspect(t, token);
        expect(res.status).toBe(200);
        expectNoStore(res);
        expect(res.text).toBe('{"active":false}');
      }
    });

    it('calls expired access and refresh tokens inactive (checklist 62)', async () => {
      const tokens = await codeTokens(t, WEB);
      g.clock.advance(3600);
      await expectInactive(t, tokens.access_token);
      await expectActive(t, tokens.refresh_token!);
      g.clock.advance(1_209_600 - 3600);
      await expectInactive(t, tokens.refresh_token!);
    });
  });

  it('is advertised in the metadata with its auth methods, beside the revocation endpoint (RFC 8414)', async () => {
    const g = await bootGrantApp(platform, db);
    try {
      const { body } = await request(`${g.t.url}/.well-known/oauth-authorization-server`);
      expect(body).toMatchObject({
        revocation_endpoint: `${g.t.issuer}/oauth/revoke`,
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
        introspection_endpoint: `${g.t.issuer}/oauth/introspect`,
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
      });
      expect([...(body.grant_types_supported as string[])].sort()).toEqual(['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer']);
    } finally {
      await g.t.close();
    }
  });
});
