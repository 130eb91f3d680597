/**
 * `BearerAuthGuard` registered globally (`{ provide: APP_GUARD, useExisting: BearerAuthGuard }`): undecorated
 * routes need a valid token (security checklist item 56: protected by default), `@Public()` opens a route or
 * a controller, and the closest decorator wins (a method's `@RequireScope` inside a `@Public()` controller,
 * a method's `@Public()` inside a `@RequireScope` controller).
 */
import { Controller, Get } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerAuthGuard, CurrentToken, Public, RequireScope, type AccessTokenInfo } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import {
  bootResourceApp,
  call,
  expectInsufficientScope,
  expectInvalidToken,
  expectNoCredentials,
  FORMATS,
  TokenBag,
} from './support/resource-app.js';

@Controller('app')
class AppController {
  @Get('undecorated')
  undecorated(@CurrentToken('sub') sub: string) {
    return { sub };
  }

  @Get('public')
  @Public()
  open(@CurrentToken() token: AccessTokenInfo | undefined) {
    return { open: true, token: token ?? null };
  }

  @Get('profile')
  @RequireScope('profile')
  profile() {
    return { ok: true };
  }
}

@Controller('open')
@Public()
class PublicController {
  @Get('health')
  health() {
    return { status: 'up' };
  }

  @Get('locked')
  @RequireScope('admin')
  locked() {
    return { locked: 'content' };
  }
}

@Controller('scoped')
@RequireScope('admin')
class ScopedController {
  @Get('secret')
  secret() {
    return { secret: true };
  }

  @Get('public')
  @Public()
  open() {
    return { open: true };
  }
}

describe.each(testMatrix())('global BearerAuthGuard on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, {
      controllers: [AppController, PublicController, ScopedController],
      providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
    });
  });
  afterAll(() => t?.close());

  it('protects an undecorated route: 401 without a token, 401 invalid_token with a bad one', async () => {
    expectNoCredentials(await call(t, '/app/undecorated'), t.issuer);
    expectInvalidToken(await call(t, '/app/undecorated', { token: 'invalid' }));
    expect((await call(t, '/app/undecorated', { method: 'HEAD' })).status).toBe(401);
  });

  it('lets a @Public() route through without a token, and ignores any Authorization header there', async () => {
    const anonymous = await call(t, '/app/public');
    expect(anonymous.status, anonymous.text).toBe(200);
    expect(anonymous.body).toEqual({ open: true, token: null });
    expect((await call(t, '/app/public', { token: 'invalid' })).status).toBe(200);
    expect((await call(t, '/app/public', { authorization: 'Bearer a b' })).status).toBe(200);
  });

  it('lets every route of a @Public() controller through', async () => {
    const res = await call(t, '/open/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'up' });
  });

  it("lets a method's @Public() replace its controller's @RequireScope", async () => {
    expect((await call(t, '/scoped/public')).status).toBe(200);
    expectNoCredentials(await call(t, '/scoped/secret'), t.issuer);
  });

  it("keeps a method's @RequireScope inside a @Public() controller (the closest decorator wins)", async () => {
    const res = await call(t, '/open/locked');
    expectNoCredentials(res, t.issuer);
    expect(res.text).not.toContain('content');
    expectInvalidToken(await call(t, '/open/locked', { token: 'invalid' }));
  });

  it('keeps the token endpoint and JWKS open (they are @Public())', async () => {
    expect((await call(t, '/oauth/jwks')).status).toBe(200);
    expect((await tokens.get('jwt')).length).toBeGreaterThan(0);
  });

  describe.each(FORMATS)('%s access tokens', (format) => {
    it('lets any valid token use an undecorated route, with @CurrentToken filled', async () => {
      const res = await call(t, '/app/undecorated', { token: await tokens.get(format) });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ sub: `rs-${format}` });
    });

    it('applies @RequireScope under the global guard (200 / 403)', async () => {
      expect((await call(t, '/app/profile', { token: await tokens.get(format, 'profile') })).status).toBe(200);
      expectInsufficientScope(await call(t, '/app/profile', { token: await tokens.get(format, 'email') }), 'profile', t.issuer);
    });

    it('leaves @CurrentToken undefined on a @Public() route even when a valid token is sent', async () => {
      const res = await call(t, '/app/public', { token: await tokens.get(format, 'profile') });
      expect(res.body).toEqual({ open: true, token: null });
    });

    it("applies a method's @RequireScope inside a @Public() controller", async () => {
      expectInsufficientScope(await call(t, '/open/locked', { token: await tokens.get(format, 'profile') }), 'admin', t.issuer);
      const res = await call(t, '/open/locked', { token: await tokens.get(format, 'admin') });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ locked: 'content' });
    });

    it('applies a class-level @RequireScope under the global guard', async () => {
      expectInsufficientScope(await call(t, '/scoped/secret', { token: await tokens.get(format, 'profile') }), 'admin', t.issuer);
      expect((await call(t, '/scoped/secret', { token: await tokens.get(format, 'admin') })).status).toBe(200);
    });
  });
});
