/**
 * RFC 6750 section 3 error responses of the bearer guard (Authlib behaviours section 2 and 4.12, with the
 * "ours:" values; security checklist items 42 and 43): which status, which `WWW-Authenticate` challenge,
 * which body, for no credentials, malformed credentials, a bad token and a token without the scope.
 */
import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentToken, RequireScope, type AccessTokenInfo } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import {
  bootResourceApp,
  call,
  expectInsufficientScope,
  expectInvalidRequest,
  expectInvalidToken,
  expectNoCredentials,
  FORMATS,
  parseChallenge,
  TokenBag,
} from './support/resource-app.js';

const REALM = 'posts api';

@Controller('api')
class ProfileController {
  @Get('me')
  @RequireScope('profile')
  me(@CurrentToken() token: AccessTokenInfo) {
    return { sub: token.sub, scopes: token.scopes };
  }

  @Get('email')
  @RequireScope('email')
  email() {
    return { email: 'someone@example.test' };
  }

  @Get('any')
  @RequireScope()
  any() {
    return { ok: true };
  }

  @Get('profile-and-email')
  @RequireScope('profile', 'email')
  both() {
    return { ok: true };
  }

  @Get('profile-or-email')
  @RequireScope(['profile'], ['email'])
  either() {
    return { ok: true };
  }
}

describe.each(testMatrix())('RFC 6750 challenges on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [ProfileController], options: { resource: { realm: REALM } } });
  });
  afterAll(() => t?.close());

  describe('no credentials (401, bare challenge)', () => {
    it('answers a request without Authorization with `Bearer realm` and no error attribute (item 119, ours)', async () => {
      const res = await call(t, '/api/me');
      expectNoCredentials(res, REALM);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${REALM}"`);
    });

    it('treats another authentication scheme as no bearer credentials (item 120, ours)', async () => {
      for (const authorization of ['Basic cnMtand0OnJzLWp3dC1zZWNyZXQtMTIz', 'invalid token', 'Token abc', 'Bearerabc']) {
        expectNoCredentials(await call(t, '/api/me', { authorization }), REALM);
      }
    });

    it('uses the issuer as realm when resource.realm is not set', async () => {
      const other = await bootResourceApp(platform, db, { controllers: [ProfileController] });
      try {
        expectNoCredentials(await call(other, '/api/me'), other.issuer);
      } finally {
        await other.close();
      }
    });
  });

  describe('malformed Authorization header (400 invalid_request)', () => {
    const malformed = ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Bearer tok"en', 'Bearer tok\\en', 'Bearer =abc', 'Bearer ab=c', 'Bearer é'];
    it.each(malformed)('%j', async (authorization) => {
      const res = await call(t, '/api/me', { authorization });
      expectInvalidRequest(res, REALM);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('bad token (401 invalid_token)', () => {
    it('answers an unknown token with `error="invalid_token"` in the challenge and the body (item 121)', async () => {
      const res = await call(t, '/api/me', { token: 'invalid' });
      expectInvalidToken(res, REALM);
      const challenge = parseChallenge(res.headers.get('www-authenticate'))!;
      expect(challenge.order[0]).toBe('realm');
      expect(challenge.params.error_description).toBeTruthy();
      expect(res.body.error_description).toBe(challenge.params.error_description);
    });

    it('rejects a bad token on a route that needs no scope too', async () => {
      expectInvalidToken(await call(t, '/api/any', { token: 'invalid' }), REALM);
    });
  });

  describe.each(FORMATS)('%s access tokens', (format) => {
    it('lets a token with the scope through (200)', async () => {
      const res = await call(t, '/api/me', { token: await tokens.get(format, 'profile') });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ sub: `rs-${format}`, scopes: ['profile'] });
    });

    it('answers a missing scope with 403 and `Bearer error="insufficient_scope", scope="email"` (item 123, ours)', async () => {
      const res = await call(t, '/api/email', { token: await tokens.get(format, 'profile') });
      expectInsufficientScope(res, 'email', REALM);
      expect(res.text).not.toContain('someone@example.test');
    });

    it('lets any valid token use a route without scope requirement (item 124)', async () => {
      expect((await call(t, '/api/any', { token: await tokens.get(format, 'profile') })).status).toBe(200);
      expect((await call(t, '/api/any', { token: await tokens.get(format) })).status).toBe(200);
    });

    it('refuses a token without any scope on a route that requires one', async () => {
      expectInsufficientScope(await call(t, '/api/me', { token: await tokens.get(format) }), 'profile', REALM);
    });

    it('AND: `profile email` with a profile token is 403 naming both; OR: `profile` | `email` is 200 (item 125)', async () => {
      const token = await tokens.get(format, 'profile');
      expectInsufficientScope(await call(t, '/api/profile-and-email', { token }), 'profile email', REALM);
      expect((await call(t, '/api/profile-or-email', { token })).status).toBe(200);
      expect((await call(t, '/api/profile-and-email', { token: await tokens.get(format, 'profile email') })).status).toBe(200);
    });
  });
});
