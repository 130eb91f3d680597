/**
 * How the bearer token may travel (RFC 6750 section 2, OAuth 2.1 section 5.1; security checklist items 43
 * and 44; Authlib 4.12 item 127): the Authorization header only, scheme case-insensitive; query and body
 * tokens are ignored; a repeated or oversized header is refused; HEAD and OPTIONS do not get around the guard.
 */
import { Body, Controller, Get, HttpCode, Options, Post } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequireScope } from '../../src/index.js';
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

const SECRET = 'the-protected-representation';
let reached = 0;

@Controller('api')
@RequireScope('profile')
class GuardedController {
  @Get('me')
  me() {
    reached += 1;
    return { secret: SECRET };
  }

  @Post('me')
  @HttpCode(200)
  update(@Body() body: unknown) {
    reached += 1;
    return { secret: SECRET, body };
  }

  @Options('me')
  @HttpCode(204)
  options() {
    reached += 1;
  }

  @Get('get-only')
  getOnly() {
    reached += 1;
    return { secret: SECRET };
  }
}

describe.each(testMatrix())('bearer token transport on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [GuardedController] });
  });
  afterAll(() => t?.close());

  describe.each(FORMATS)('%s access tokens', (format) => {
    it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts the %s scheme (case-insensitive, item 127)', async (scheme) => {
      const res = await call(t, '/api/me', { authorization: `${scheme} ${await tokens.get(format, 'profile')}` });
      expect(res.status, res.text).toBe(200);
      expect(res.body.secret).toBe(SECRET);
    });

    it('accepts several spaces between scheme and token', async () => {
      const res = await call(t, '/api/me', { authorization: `Bearer   ${await tokens.get(format, 'profile')}` });
      expect(res.status, res.text).toBe(200);
    });

    it('ignores `?access_token=` (401 without credentials, item 127 / OAuth 2.1 section 5.1)', async () => {
      const token = await tokens.get(format, 'profile');
      const before = reached;
      expectNoCredentials(await call(t, `/api/me?access_token=${encodeURIComponent(token)}`), t.issuer);
      expect(reached).toBe(before);
    });

    it('ignores a form-body token (401)', async () => {
      const token = await tokens.get(format, 'profile');
      const before = reached;
      const res = await call(t, '/api/me', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ access_token: token }).toString(),
      });
      expectNoCredentials(res, t.issuer);
      expect(res.text).not.toContain(SECRET);
      expect(reached).toBe(before);
    });

    it('ignores a JSON-body token (401)', async () => {
      const token = await tokens.get(format, 'profile');
      const res = await call(t, '/api/me', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: token }),
      });
      expectNoCredentials(res, t.issuer);
    });

    it('refuses two Authorization headers with 400 invalid_request, whichever comes first (item 44)', async () => {
      const token = await tokens.get(format, 'profile');
      for (const lines of [
        [`Bearer ${token}`, 'Bearer forged'],
        ['Bearer forged', `Bearer ${token}`],
        [`Bearer ${token}`, `Bearer ${token}`],
      ]) {
        const res = await getWithAuthorizationLines(`${t.url}/api/me`, lines);
        expect(res.status, res.text).toBe(400);
        expect(res.challenge).toMatch(/^Bearer realm="[^"]*", error="invalid_request"/);
        expect(res.text).not.toContain(SECRET);
      }
    });

    it('does not let HEAD around the guard (item 43)', async () => {
      const before = reached;
      const anonymous = await call(t, '/api/me', { method: 'HEAD' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${t.issuer}"`);
      expect((await call(t, '/api/me', { method: 'HEAD', token: 'invalid' })).status).toBe(401);
      const insufficient = await call(t, '/api/me', { method: 'HEAD', token: await tokens.get(format, 'email') });
      expect(insufficient.status).toBe(403);
      expect(insufficient.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(reached).toBe(before);
      expect((await call(t, '/api/me', { method: 'HEAD', token: await tokens.get(format, 'profile') })).status).toBe(200);
    });

    it('does not let OPTIONS around the guard (item 43)', async () => {
      const before = reached;
      expectNoCredentials(await call(t, '/api/me', { method: 'OPTIONS' }), t.issuer);
      expectInvalidToken(await call(t, '/api/me', { method: 'OPTIONS', token: 'invalid' }));
      expect(reached).toBe(before);
      expect((await call(t, '/api/me', { method: 'OPTIONS', token: await tokens.get(format, 'profile') })).status).toBe(204);
      expect(reached).toBe(before + 1);
    });

    it('answers OPTIONS on a GET-only route with 404 without reaching it', async () => {
      const before = reached;
      const res = await call(t, '/api/get-only', { method: 'OPTIONS' });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(SECRET);
      expect(reached).toBe(before);
    });
  });

  it('refuses a 10 kB bearer token as malformed (400, never 500)', async () => {
    const res = await call(t, '/api/me', { authorization: `Bearer ${'a'.repeat(10 * 1024)}` });
    expectInvalidRequest(res, t.issuer);
  });

  it('answers a long (but allowed) unknown token with 401 invalid_token', async () => {
    expectInvalidToken(await call(t, '/api/me', { token: 'a'.repeat(8000) }));
    expectInvalidToken(await call(t, '/api/me', { token: `${'a'.repeat(4000)}.${'b'.repeat(2000)}.${'c'.repeat(1000)}` }));
  });
});
