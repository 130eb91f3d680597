/**
 * `BearerAuthGuard` applied per controller or per route with `@UseGuards(BearerAuthGuard)`, no global guard:
 * guarded routes need a valid token, `@Public()` still opens a route of a guarded controller, `@RequireScope`
 * adds a scope requirement, and routes outside the guard stay open (and see no token).
 */
import { Controller, Get, UseGuards } from '@nestjs/common';
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

@Controller('guarded')
@UseGuards(BearerAuthGuard)
class GuardedController {
  @Get('me')
  me(@CurrentToken() token: AccessTokenInfo) {
    return { clientId: token.clientId, scopes: token.scopes };
  }

  @Get('public')
  @Public()
  open() {
    return { open: true };
  }

  @Get('email')
  @RequireScope('email')
  email() {
    return { email: true };
  }
}

@Controller('mixed')
class MixedController {
  @Get('guarded')
  @UseGuards(BearerAuthGuard)
  guarded() {
    return { guarded: true };
  }

  @Get('open')
  open(@CurrentToken() token: AccessTokenInfo | undefined) {
    return { open: true, token: token ?? null };
  }
}

describe.each(testMatrix())('@UseGuards(BearerAuthGuard) on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [GuardedController, MixedController] });
  });
  afterAll(() => t?.close());

  it('protects every route of a guarded controller', async () => {
    expectNoCredentials(await call(t, '/guarded/me'), t.issuer);
    expectInvalidToken(await call(t, '/guarded/me', { token: 'invalid' }));
    expectNoCredentials(await call(t, '/guarded/email'), t.issuer);
  });

  it('lets a @Public() route of a guarded controller through', async () => {
    expect((await call(t, '/guarded/public')).status).toBe(200);
  });

  it('protects a route guarded on its own, and leaves its unguarded neighbour open', async () => {
    expectNoCredentials(await call(t, '/mixed/guarded'), t.issuer);
    const open = await call(t, '/mixed/open');
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ open: true, token: null });
  });

  describe.each(FORMATS)('%s access tokens', (format) => {
    it('lets a valid token through with @CurrentToken filled', async () => {
      const res = await call(t, '/guarded/me', { token: await tokens.get(format, 'profile email') });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ clientId: `rs-${format}`, scopes: ['profile', 'email'] });
      expect((await call(t, '/mixed/guarded', { token: await tokens.get(format) })).status).toBe(200);
    });

    it('adds a route-level @RequireScope to the controller guard', async () => {
      expectInsufficientScope(await call(t, '/guarded/email', { token: await tokens.get(format, 'profile') }), 'email', t.issuer);
      expect((await call(t, '/guarded/email', { token: await tokens.get(format, 'email') })).status).toBe(200);
    });

    it('does not verify or expose a token on a route without the guard', async () => {
      const res = await call(t, '/mixed/open', { token: await tokens.get(format, 'profile') });
      expect(res.body).toEqual({ open: true, token: null });
    });
  });
});
