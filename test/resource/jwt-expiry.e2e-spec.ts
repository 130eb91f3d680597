/**
 * Expiry of JWT access tokens with a moved clock (Authlib 4.12 item 122, 4.13 item 133; security checklist
 * item 51): accepted up to `exp + resource.leeway`, refused after, also when the verification was cached.
 * Time moves with the FakeClock given to bootTestApp; nothing waits on the wall clock.
 */
import { Controller, Get } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequireScope } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInvalidToken, issueToken } from './support/resource-app.js';
import { signAsServer } from './support/jwt-forge.js';

@Controller('api')
class MeController {
  @Get('me')
  @RequireScope('profile')
  me() {
    return { ok: true };
  }
}

/** Moves the clock to `seconds` past the token's `exp` (negative: before it). */
function moveToExp(clock: FakeClock, token: string, seconds: number): void {
  const exp = Number(decodeJwt(token).exp);
  clock.advance(exp + seconds - clock.now() / 1000);
}

describe.each(testMatrix())('JWT expiry on %s/%s', (platform, db) => {
  describe('with the default leeway (5 s)', () => {
    let t: TestApp;
    let clock: FakeClock;

    beforeAll(async () => {
      clock = new FakeClock(Date.UTC(2031, 0, 1, 12, 0, 0));
      t = await bootResourceApp(platform, db, { controllers: [MeController], clock });
    });
    afterAll(() => t?.close());

    it('issues tokens on the moved clock', async () => {
      const token = await issueToken(t, 'jwt', 'profile');
      expect(decodeJwt(token).iat).toBe(Math.floor(clock.now() / 1000));
    });

    it('accepts a token until exp + leeway and refuses it after (401 invalid_token)', async () => {
      const token = await issueToken(t, 'jwt', 'profile');
      moveToExp(clock, token, -1);
      expect((await call(t, '/api/me', { token })).status).toBe(200);
      moveToExp(clock, token, 4);
      expect((await call(t, '/api/me', { token })).status).toBe(200);
      moveToExp(clock, token, 6);
      const res = await call(t, '/api/me', { token });
      expectInvalidToken(res);
      expect(res.headers.get('www-authenticate')).toContain('error_description="The access token expired"');
      moveToExp(clock, token, 3600);
      expectInvalidToken(await call(t, '/api/me', { token }));
    });

    it('does not serve a cached verification past exp (cache TTL 300 s > remaining lifetime)', async () => {
      const token = await issueToken(t, 'jwt', 'profile');
      moveToExp(clock, token, -100);
      expect((await call(t, '/api/me', { token })).status).toBe(200);
      moveToExp(clock, token, 10);
      expectInvalidToken(await call(t, '/api/me', { token }));
    });

    it('refuses a token verified long ago once it has expired (cache entry from the first request)', async () => {
      const token = await issueToken(t, 'jwt', 'profile');
      expect((await call(t, '/api/me', { token })).status).toBe(200);
      clock.advance(3600 + 6);
      expectInvalidToken(await call(t, '/api/me', { token }));
    });

    it('applies the leeway to nbf too: accepted from nbf - leeway', async () => {
      const now = Math.floor(clock.now() / 1000);
      const token = await signAsServer(t, { now, claims: { nbf: now + 60 } });
      expectInvalidToken(await call(t, '/api/me', { token }));
      clock.advance(56);
      expect((await call(t, '/api/me', { token })).status).toBe(200);
    });
  });

  describe('with resource.leeway = 0', () => {
    let t: TestApp;
    let clock: FakeClock;

    beforeAll(async () => {
      clock = new FakeClock(Date.UTC(2031, 0, 1, 12, 0, 0));
      t = await bootResourceApp(platform, db, { controllers: [MeController], clock, options: { resource: { leeway: 0, jwtCacheTtl: 0 } } });
    });
    afterAll(() => t?.close());

    it('refuses the token at exp exactly', async () => {
      const token = await issueToken(t, 'jwt', 'profile');
      moveToExp(clock, token, -1);
      expect((await call(t, '/api/me', { token })).status).toBe(200);
      moveToExp(clock, token, 0);
      expectInvalidToken(await call(t, '/api/me', { token }));
    });
  });
});
