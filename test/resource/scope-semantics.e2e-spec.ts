/**
 * What a scope requirement means (architecture: typed metadata; Authlib section 2 scope semantics and its
 * issues #90/#432; security checklist item 54): `@RequireScope('a', 'b')` all of, `@RequireScope(['a'], ['b'])`
 * any of the arrays, `{ anyOf }` / `{ allOf }`, `RequireAnyScope`, `@RequireScope()` any valid token, a method's
 * requirement replacing its controller's, and exact, case-sensitive scope-token matching.
 */
import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequireAnyScope, RequireScope } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInsufficientScope, FORMATS, TokenBag } from './support/resource-app.js';

@Controller('scopes')
class ScopesController {
  @Get('all')
  @RequireScope('posts:read', 'posts:write')
  all() {
    return { ok: true };
  }

  @Get('alternatives')
  @RequireScope(['posts:read'], ['admin'])
  alternatives() {
    return { ok: true };
  }

  @Get('compound')
  @RequireScope(['posts:read', 'posts:write'], ['admin'])
  compound() {
    return { ok: true };
  }

  @Get('any-of')
  @RequireScope({ anyOf: ['posts:read', 'admin'] })
  anyOf() {
    return { ok: true };
  }

  @Get('all-of')
  @RequireScope({ allOf: ['posts:read', 'posts:write'] })
  allOf() {
    return { ok: true };
  }

  @Get('require-any')
  @RequireAnyScope('posts:read', 'admin')
  requireAny() {
    return { ok: true };
  }

  @Get('any-token')
  @RequireScope()
  anyToken() {
    return { ok: true };
  }

  @Get('exact')
  @RequireScope('x:read')
  exact() {
    return { ok: true };
  }
}

@Controller('admin')
@RequireScope('admin')
class AdminController {
  @Get('dashboard')
  dashboard() {
    return { ok: true };
  }

  @Get('posts')
  @RequireScope('posts:read')
  posts() {
    return { ok: true };
  }

  @Get('any-token')
  @RequireScope()
  anyToken() {
    return { ok: true };
  }
}

/** [route, granted scope (undefined = a token without scope), expected status, expected `scope` of a 403]. */
type Case = [string, string | undefined, 200 | 403, string?];

const cases: Case[] = [
  // all of
  ['/scopes/all', 'posts:read posts:write', 200],
  ['/scopes/all', 'posts:read posts:write admin', 200],
  ['/scopes/all', 'posts:read', 403, 'posts:read posts:write'],
  ['/scopes/all', 'posts:write', 403, 'posts:read posts:write'],
  ['/scopes/all', undefined, 403, 'posts:read posts:write'],
  // any of the arrays, each array all of
  ['/scopes/alternatives', 'posts:read', 200],
  ['/scopes/alternatives', 'admin', 200],
  ['/scopes/alternatives', 'posts:write email', 403, 'posts:read'],
  ['/scopes/compound', 'posts:read posts:write', 200],
  ['/scopes/compound', 'admin', 200],
  ['/scopes/compound', 'posts:read', 403, 'posts:read posts:write'],
  ['/scopes/compound', 'posts:write profile', 403, 'posts:read posts:write'],
  // explicit forms
  ['/scopes/any-of', 'posts:read', 200],
  ['/scopes/any-of', 'admin', 200],
  ['/scopes/any-of', 'posts:write', 403, 'posts:read'],
  ['/scopes/all-of', 'posts:read posts:write', 200],
  ['/scopes/all-of', 'posts:read', 403, 'posts:read posts:write'],
  ['/scopes/require-any', 'admin', 200],
  ['/scopes/require-any', 'posts:read', 200],
  ['/scopes/require-any', 'profile', 403, 'posts:read'],
  // any valid token
  ['/scopes/any-token', undefined, 200],
  ['/scopes/any-token', 'profile', 200],
  // exact token match (checklist item 54)
  ['/scopes/exact', 'x:read', 200],
  ['/scopes/exact', 'x:read x:readonly', 200],
  ['/scopes/exact', 'x:readonly', 403, 'x:read'],
  // class-level requirement, and methods that replace it
  ['/admin/dashboard', 'admin', 200],
  ['/admin/dashboard', 'posts:read', 403, 'admin'],
  ['/admin/posts', 'posts:read', 200],
  ['/admin/posts', 'admin', 403, 'posts:read'],
  ['/admin/any-token', undefined, 200],
  ['/admin/any-token', 'profile', 200],
];

describe.each(testMatrix())('scope requirements on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [ScopesController, AdminController] });
  });
  afterAll(() => t?.close());

  describe.each(FORMATS)('%s access tokens', (format) => {
    it.each(cases)('%s with scope %j -> %i', async (path, granted, status, required) => {
      const res = await call(t, path, { token: await tokens.get(format, granted) });
      if (status === 200) {
        expect(res.status, res.text).toBe(200);
        expect(res.body).toEqual({ ok: true });
      } else {
        expectInsufficientScope(res, required!, t.issuer);
      }
    });
  });
});

