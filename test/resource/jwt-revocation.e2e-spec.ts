/**
 * JWT access tokens revoked at AuthModule's own guard: verified JWTs are remembered for `resource.jwtCacheTtl`, and
 * each verification also checks the token's row. A JWT revoked through this instance's revocation endpoint is
 * refused at once; one revoked elsewhere (another instance, a grant or family revoked, the database) is refused once
 * its cache entry expires, never later; a token nobody revoked keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AccessTokenEntity } from '../../src/index.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { openDatabase } from './support/database.js';
import { JtiController } from './support/jti.controller.js';
import { bootResourceApp, call, CLIENTS, expectInvalidToken, issueToken } from './support/resource-app.js';


const JWT_CACHE_TTL = 120;

describe.each(testMatrix())('revoked JWT access tokens at the guard on %s/%s', (platform, db) => {
  let t: TestApp;
  let database: DataSource;
  const clock = new FakeClock(Date.UTC(2031, 5, 1, 8, 0, 0));

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [JtiController], clock, options: { resource: { jwtCacheTtl: JWT_CACHE_TTL } } });
    database = await openDatabase(t.database);
  });
  afterAll(async () => {
    if (database?.isInitialized) await database.destroy();
    await t?.close();
  });

  const me = (token: string) => call(t, '/api/me', { token });
  const revoke = (token: string) => postForm(`${t.url}/oauth/revoke`, { token }, { authorization: basic(CLIENTS.jwt.clientId, CLIENTS.jwt.clientSecret) });

  it('refuses a JWT revoked through the revocation endpoint at once, though it was verified and cached', async () => {
    const token = await issueToken(t, 'jwt', 'profile');
    expect((await me(token)).status).toBe(200);
    expect((await revoke(token)).status).toBe(200);
    expectInvalidToken(await me(token));
  });

  it('refuses a JWT revoked elsewhere once its cache entry expires, and keeps the others', async () => {
    const [revoked, kept] = [await issueToken(t, 'jwt', 'profile'), await issueToken(t, 'jwt', 'profile')];
    expect((await me(revoked)).status).toBe(200);
    expect((await me(kept)).status).toBe(200);
    const jti = String((await me(revoked)).body.jti);
    await database.getRepository(AccessTokenEntity).update({ id: jti }, { revokedAt: clock.now() });
    clock.advance(JWT_CACHE_TTL - 1);
    expect((await me(revoked)).status).toBe(200);
    clock.advance(1);
    expectInvalidToken(await me(revoked));
    expect((await me(kept)).status).toBe(200);
  });

  it('refuses a JWT already revoked when first seen', async () => {
    const token = await issueToken(t, 'jwt', 'profile');
    expect((await revoke(token)).status).toBe(200);
    expectInvalidToken(await me(token));
  });
});
