/**
 * RFC 9068 JWT access tokens at the resource server (Authlib 4.13 items 128-134; security checklist items 51-53).
 * Tokens are signed with the server's real key (reached through `KeyStoreService`), so each case fails for the
 * one claim or header it changes; a baseline shows the same minting is accepted unchanged.
 */
import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentToken, RequireScope } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInsufficientScope, expectInvalidToken, issueTokenFor } from './support/resource-app.js';
import { accessTokenClaims, inspect, nowSeconds, serverKey, signAsServer } from './support/jwt-forge.js';

const OTHER_RS = 'https://other-rs.example';
/** Clients whose tokens the token endpoint issues for another resource server (per-client `audience`). */
const OTHER_AUDIENCE_CLIENTS = {
  jwt: { clientId: 'rs-jwt-other-aud', clientSecret: 'other-aud-secret-1', accessTokenFormat: 'jwt' as const },
  opaque: { clientId: 'rs-opaque-other-aud', clientSecret: 'other-aud-secret-2', accessTokenFormat: 'opaque' as const },
};
const otherAudienceSeeds = Object.values(OTHER_AUDIENCE_CLIENTS).map((client) => ({ ...client, scopes: ['profile'], audience: OTHER_RS }));

@Controller('api')
class MeController {
  @Get('me')
  @RequireScope('profile')
  me(@CurrentToken('sub') sub: string) {
    return { sub };
  }

  @Get('email')
  @RequireScope('email')
  email() {
    return { ok: true };
  }

  @Get('any')
  @RequireScope()
  any() {
    return { ok: true };
  }
}

describe.each(testMatrix())('RFC 9068 JWT access tokens on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, {
      controllers: [MeController],
      options: { clients: otherAudienceSeeds },
    });
  });
  afterAll(() => t?.close());

  const me = (token: string) => call(t, '/api/me', { token });

  describe('tokens from the token endpoint (items 128, 129)', () => {
    it('are `typ: at+jwt` JWTs with a published kid and every RFC 9068 claim; sub is the client for client_credentials', async () => {
      const token = await issueTokenFor(t, { clientId: 'rs-jwt', clientSecret: 'rs-jwt-secret-123' }, 'profile email');
      const { header, claims } = inspect(token);
      expect(header).toEqual({ alg: 'ES256', kid: serverKey(t).kid, typ: 'at+jwt' });
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
      expect(claims).toMatchObject({ iss: t.issuer, sub: 'rs-jwt', aud: t.issuer, client_id: 'rs-jwt', scope: 'profile email' });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
      const jwks = await call(t, '/oauth/jwks');
      expect((jwks.body.keys as { kid: string }[]).map((key) => key.kid)).toContain(header.kid);
      expect(await me(token).then((res) => res.body)).toEqual({ sub: 'rs-jwt' });
    });

    it.each(['jwt', 'opaque'] as const)('for another audience (client `audience` override) are refused here (%s)', async (format) => {
      const token = await issueTokenFor(t, OTHER_AUDIENCE_CLIENTS[format], 'profile');
      if (format === 'jwt') expect(inspect(token).claims.aud).toBe(OTHER_RS);
      expectInvalidToken(await me(token));
    });
  });

  describe('self-minted with the server key', () => {
    it('baseline: the unchanged claims are accepted (200)', async () => {
      const res = await me(await signAsServer(t));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ sub: 'rs-jwt' });
    });

    it('baseline: scope is still enforced on a minted token (403 / 200)', async () => {
      expectInsufficientScope(await call(t, '/api/email', { token: await signAsServer(t) }), 'email');
      expect((await call(t, '/api/any', { token: await signAsServer(t, { claims: { scope: undefined } }) })).status).toBe(200);
    });

    it.each([['application/at+jwt'], ['AT+JWT']])('accepts typ %j (item 131)', async (typ) => {
      expect((await me(await signAsServer(t, { header: { typ } }))).status).toBe(200);
    });

    it.each([['JWT'], ['jwt'], ['application/jwt'], ['at+jwt+x'], ['dpop+jwt'], [undefined], [7]])(
      'refuses typ %j (items 131, 53)',
      async (typ) => {
        expectInvalidToken(await me(await signAsServer(t, { header: { typ } })));
      },
    );

    it.each(['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'])('refuses a token without %s (item 132)', async (claim) => {
      expectInvalidToken(await me(await signAsServer(t, { claims: { [claim]: undefined } })));
    });

    it.each([
      ['another issuer', { iss: 'https://evil.example' }],
      ['the issuer with a trailing slash', { iss: 'http://127.0.0.1/' }],
      ['another audience', { aud: OTHER_RS }],
      ['an audience array without ours', { aud: [OTHER_RS, 'https://third.example'] }],
      ['an empty audience array', { aud: [] }],
    ])('refuses %s (items 133, 52)', async (_name, claims) => {
      expectInvalidToken(await me(await signAsServer(t, { claims })));
    });

    it('accepts an audience array that contains ours (item 52)', async () => {
      const res = await call(t, '/api/me', { token: await signAsServer(t, { claims: { aud: [OTHER_RS, t.issuer] } }) });
      expect(res.status, res.text).toBe(200);
    });

    it.each([
      ['exp as a string', { exp: String(nowSeconds() + 600) }],
      ['exp as an object', { exp: { value: nowSeconds() + 600 } }],
      ['iat as a string', { iat: String(nowSeconds()) }],
      ['nbf as a string', { nbf: String(nowSeconds()) }],
      ['exp in the past beyond the leeway', { exp: nowSeconds() - 60 }],
      ['nbf in the future beyond the leeway', { nbf: nowSeconds() + 60 }],
      ['iat in the future beyond the leeway (a clock running ahead)', { iat: nowSeconds() + 60 }],
      ['scope as an array', { scope: ['profile'] }],
      ['scope with a malformed token', { scope: 'profile "email"' }],
      ['client_id as a number', { client_id: 42 }],
      ['iss as a number', { iss: 42 }],
    ])('refuses %s (items 51, 133)', async (_name, claims) => {
      expectInvalidToken(await me(await signAsServer(t, { claims })));
    });

    it('refuses exp = 1e309 (Infinity after JSON parsing, item 51)', async () => {
      const claims = accessTokenClaims(t);
      const payload = JSON.stringify({ ...claims, exp: 0 }).replace('"exp":0', '"exp":1e309');
      expectInvalidToken(await me(await signAsServer(t, { payload })));
    });

    it('accepts nbf and iat within the leeway, and a fractional exp', async () => {
      expect((await me(await signAsServer(t, { claims: { nbf: nowSeconds() + 2 } }))).status).toBe(200);
      expect((await me(await signAsServer(t, { claims: { iat: nowSeconds() + 2 } }))).status).toBe(200);
      expect((await me(await signAsServer(t, { claims: { exp: nowSeconds() + 600.5 } }))).status).toBe(200);
    });

    it('refuses payloads that are not a JSON object', async () => {
      for (const payload of ['[1,2]', '"text"', 'null', '{"iss":', 'not json']) {
        expectInvalidToken(await me(await signAsServer(t, { payload })));
      }
    });
  });
});
