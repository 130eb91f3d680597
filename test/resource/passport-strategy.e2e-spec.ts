/**
 * authnest's passport strategy, for hosts built on @nestjs/passport: `@UseGuards(AuthnestPassportGuard)` and a
 * plain `@UseGuards(AuthGuard(AUTHNEST_BEARER))` accept a valid token with `request.user` = `AccessTokenInfo`, and
 * answer missing, malformed and invalid credentials like `BearerAuthGuard` does (RFC 6750 section 3), on both
 * platforms. The token travels in the Authorization header only, as with the bearer guard.
 */
import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHNEST_BEARER, AuthnestBearerStrategy, AuthnestPassportGuard, CurrentToken, type AccessTokenInfo } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import {
  bootResourceApp,
  call,
  expectInvalidRequest,
  expectInvalidToken,
  expectNoCredentials,
  FORMATS,
  getWithAuthorizationLines,
  TokenBag,
} from './support/resource-app.js';

interface RequestWithUser {
  user?: AccessTokenInfo;
}

@Controller('authnest-passport')
@UseGuards(AuthnestPassportGuard)
class AuthnestPassportController {
  @Get('me')
  me(@Req() request: RequestWithUser, @CurrentToken() token: AccessTokenInfo) {
    return { user: request.user, sameAsCurrentToken: request.user === token };
  }

  @Post('me')
  @HttpCode(200)
  post(@Req() request: RequestWithUser, @Body() _body: unknown) {
    return { user: request.user };
  }
}

@Controller('nest-passport')
@UseGuards(AuthGuard(AUTHNEST_BEARER))
class NestPassportController {
  @Get('me')
  me(@Req() request: RequestWithUser) {
    return { user: request.user };
  }

  @Post('me')
  @HttpCode(200)
  post(@Req() request: RequestWithUser, @Body() _body: unknown) {
    return { user: request.user };
  }
}

describe.each(testMatrix())('passport strategy on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [AuthnestPassportController, NestPassportController] });
  });
  afterAll(() => t?.close());

  describe.each([['AuthnestPassportGuard', '/authnest-passport/me'], ['AuthGuard(AUTHNEST_BEARER)', '/nest-passport/me']])('%s', (_guard, path) => {
    describe.each(FORMATS)('%s access tokens', (format) => {
      it('accepts a valid token; request.user is the AccessTokenInfo', async () => {
        const res = await call(t, path, { token: await tokens.get(format, 'profile email') });
        expect(res.status, res.text).toBe(200);
        const user = res.body.user as AccessTokenInfo;
        expect(user).toMatchObject({ format, sub: `rs-${format}`, clientId: `rs-${format}`, scopes: ['profile', 'email'], aud: [t.issuer] });
        expect(user.iss).toBe(t.issuer);
        expect(typeof user.jti).toBe('string');
        expect(user.claims).toMatchObject({ client_id: `rs-${format}`, scope: 'profile email' });
        if (path.startsWith('/authnest-passport')) expect(res.body.sameAsCurrentToken).toBe(true);
      });

      it.each(['bearer', 'BEARER'])('accepts the %s scheme', async (scheme) => {
        const res = await call(t, path, { authorization: `${scheme} ${await tokens.get(format, 'profile')}` });
        expect(res.status, res.text).toBe(200);
      });

      it('accepts several spaces between scheme and token, like BearerAuthGuard', async () => {
        const res = await call(t, path, { authorization: `Bearer   ${await tokens.get(format, 'profile')}` });
        expect(res.status, res.text).toBe(200);
      });

      it('ignores `?access_token=` (401 without credentials)', async () => {
        const token = await tokens.get(format, 'profile');
        expectNoCredentials(await call(t, `${path}?access_token=${encodeURIComponent(token)}`), t.issuer);
      });

      it('ignores a form-body token (401 without credentials)', async () => {
        const token = await tokens.get(format, 'profile');
        const res = await call(t, path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ access_token: token }).toString(),
        });
        expectNoCredentials(res, t.issuer);
      });
    });

    it('answers no credentials with 401 and a bare `Bearer realm` challenge', async () => {
      expectNoCredentials(await call(t, path), t.issuer);
      expectNoCredentials(await call(t, path, { authorization: 'Basic cnMtand0OnNlY3JldA==' }), t.issuer);
    });

    it('answers a malformed header with 400 invalid_request', async () => {
      expectInvalidRequest(await call(t, path, { authorization: 'Bearer a b' }), t.issuer);
      expectInvalidRequest(await call(t, path, { authorization: 'Bearer' }), t.issuer);
    });

    it('answers an invalid token with 401 invalid_token', async () => {
      expectInvalidToken(await call(t, path, { token: 'invalid' }), t.issuer);
      expectInvalidToken(await call(t, path, { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }), t.issuer);
    });

    it('refuses two Authorization headers with 400', async () => {
      const token = await tokens.get('jwt', 'profile');
      const res = await getWithAuthorizationLines(`${t.url}${path}`, [`Bearer ${token}`, 'Bearer forged']);
      expect(res.status, res.text).toBe(400);
      expect(res.challenge).toMatch(/^Bearer realm="[^"]*", error="invalid_request"/);
    });
  });

  // Known bug, reported and not fixed here: passport keeps strategies in one process-wide registry by name,
  // so the AuthnestBearerStrategy of the app booted last serves AuthGuard(AUTHNEST_BEARER) and
  // AuthnestPassportGuard in every app of the process (wrong issuer/audience/database; a 500 once that
  // app has closed its DataSource). BearerAuthGuard is not affected. Kept last: it re-registers our strategy.
  it.fails('verifies with its own app while a second app runs in the same process', async () => {
    const other = await bootResourceApp(platform, db, { controllers: [AuthnestPassportController], options: { issuer: 'http://localhost' } });
    try {
      const res = await call(t, '/authnest-passport/me', { token: await tokens.get('jwt', 'profile') });
      expect(res.status, res.text).toBe(200);
    } finally {
      await other.close();
      passport.use(AUTHNEST_BEARER, t.app.get(AuthnestBearerStrategy));
    }
  });
});
