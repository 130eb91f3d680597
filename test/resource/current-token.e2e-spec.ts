/**
 * `@CurrentToken()` hands a route the verified `AccessTokenInfo`, and `@CurrentToken('field')` one of its
 * fields, for JWT and opaque tokens alike (the same shape whatever the format).
 */
import { Controller, Get } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentToken, RequireScope, type AccessTokenInfo } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootResourceApp, call, TokenBag } from './support/resource-app.js';

@Controller('api')
@RequireScope('profile')
class TokenController {
  @Get('token')
  token(@CurrentToken() token: AccessTokenInfo) {
    return token;
  }

  @Get('fields')
  fields(
    @CurrentToken('sub') sub: string,
    @CurrentToken('clientId') clientId: string,
    @CurrentToken('scopes') scopes: string[],
    @CurrentToken('format') format: AccessTokenInfo['format'],
    @CurrentToken('aud') aud: string[],
  ) {
    return { sub, clientId, scopes, format, aud };
  }
}

describe.each(testMatrix())('@CurrentToken on %s/%s', (platform, db) => {
  let t: TestApp;
  const tokens = new TokenBag(() => t);

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [TokenController] });
  });
  afterAll(() => t?.close());

  it('gives a JWT access token as AccessTokenInfo, claims included', async () => {
    const jwt = await tokens.get('jwt', 'profile email');
    const claims = decodeJwt(jwt);
    const res = await call(t, '/api/token', { token: jwt });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      format: 'jwt',
      jti: claims.jti,
      iss: t.issuer,
      sub: 'rs-jwt',
      aud: [t.issuer],
      clientId: 'rs-jwt',
      scopes: ['profile', 'email'],
      iat: claims.iat,
      exp: claims.exp,
      claims,
    });
    expect(Number(res.body.exp) - Number(res.body.iat)).toBe(3600);
  });

  it('gives an opaque access token the same shape, with its claims in JWT names', async () => {
    const res = await call(t, '/api/token', { token: await tokens.get('opaque', 'profile email') });
    expect(res.status, res.text).toBe(200);
    const info = res.body as unknown as AccessTokenInfo;
    expect(info).toMatchObject({ format: 'opaque', iss: t.issuer, sub: 'rs-opaque', aud: [t.issuer], clientId: 'rs-opaque' });
    expect(info.scopes).toEqual(['profile', 'email']);
    expect(info.jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(info.exp - info.iat).toBe(3600);
    expect(Math.abs(info.iat - Date.now() / 1000)).toBeLessThan(120);
    expect(info.claims).toEqual({
      iss: t.issuer,
      sub: 'rs-opaque',
      aud: t.issuer,
      client_id: 'rs-opaque',
      jti: info.jti,
      iat: info.iat,
      exp: info.exp,
      scope: 'profile email',
    });
  });

  it.each(['jwt', 'opaque'] as const)('gives single fields with @CurrentToken(field) (%s)', async (format) => {
    const res = await call(t, '/api/fields', { token: await tokens.get(format, 'profile') });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ sub: `rs-${format}`, clientId: `rs-${format}`, scopes: ['profile'], format, aud: [t.issuer] });
  });

  it('only accepts field names of AccessTokenInfo (compile-time)', () => {
    // @ts-expect-error 'email' is not a field of AccessTokenInfo
    expect(typeof CurrentToken('email')).toBe('function');
    expect(typeof CurrentToken('jti')).toBe('function');
  });
});
