/**
 * Opaque access tokens (architecture: stored as SHA-256 hashes; Authlib 4.12 item 122; security checklist
 * items 43 and 55): checked against the database on every request (`resource.opaqueCacheTtl` 0, the default),
 * so a revocation written to the database by anyone is visible at once; unknown, expired and hash-as-token
 * presentations are refused.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AccessTokenEntity } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInvalidToken, issueToken } from './support/resource-app.js';
import { openDatabase } from './support/database.js';
import { JtiController } from './support/jti.controller.js';


const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

describe.each(testMatrix())('opaque access tokens on %s/%s', (platform, db) => {
  let t: TestApp;
  let clock: FakeClock;
  let database: DataSource;
  const tokens = () => database.getRepository(AccessTokenEntity);

  beforeAll(async () => {
    clock = new FakeClock(Date.UTC(2031, 5, 1, 8, 0, 0));
    t = await bootResourceApp(platform, db, { controllers: [JtiController], clock });
    database = await openDatabase(t.database);
  });
  afterAll(async () => {
    if (database?.isInitialized) await database.destroy();
    await t?.close();
  });

  const me = (token: string) => call(t, '/api/me', { token });

  it('accepts an issued token, stored only as its SHA-256 hash', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);
    const res = await me(token);
    expect(res.status, res.text).toBe(200);
    const row = await tokens().findOneByOrFail({ id: String(res.body.jti) });
    expect(token.startsWith(row.id)).toBe(true);
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(row.id.length));
  });

  it('refuses an unknown token', async () => {
    expectInvalidToken(await me('x'.repeat(43)));
    expectInvalidToken(await me(Buffer.alloc(32, 7).toString('base64url')));
  });

  it('refuses a token with one character changed', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expectInvalidToken(await me(`${token.slice(0, -1)}${last}`));
    expect((await me(token)).status).toBe(200);
  });

  it('refuses the stored hash presented as the token (read from the database)', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    const { jti } = (await me(token)).body;
    const row = await tokens().findOneByOrFail({ id: String(jti) });
    expectInvalidToken(await me(row.tokenHash));
    expectInvalidToken(await me(row.tokenHash.toUpperCase()));
    expectInvalidToken(await me(row.id));
  });

  it('refuses a token as soon as revoked_at is set in the database (no cache by default)', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(200);
    const result = await tokens().update({ tokenHash: sha256(token) }, { revokedAt: clock.now() });
    expect(result.affected).toBe(1);
    const res = await me(token);
    expectInvalidToken(res);
  });

  it('refuses a token whose row was deleted', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    expect((await me(token)).status).toBe(200);
    await tokens().delete({ tokenHash: sha256(token) });
    expectInvalidToken(await me(token));
  });

  it('refuses a token longer than any issued one without a lookup error', async () => {
    expectInvalidToken(await me('a'.repeat(600)));
  });

  it('accepts a token until its expiry and refuses it from then on (moved clock)', async () => {
    const token = await issueToken(t, 'opaque', 'profile');
    const row = await tokens().findOneByOrFail({ tokenHash: sha256(token) });
    expect(row.expiresAt - row.issuedAt).toBe(3600 * 1000);
    clock.advance((row.expiresAt - clock.now()) / 1000 - 1);
    expect((await me(token)).status).toBe(200);
    clock.advance(1);
    expectInvalidToken(await me(token));
    clock.advance(3600);
    expectInvalidToken(await me(token));
  });

  describe('with resource.opaqueCacheTtl = 60', () => {
    let cached: TestApp;
    let cachedDb: DataSource;

    beforeAll(async () => {
      cached = await bootResourceApp(platform, db, { controllers: [JtiController], clock, options: { resource: { opaqueCacheTtl: 60 } } });
      cachedDb = await openDatabase(cached.database);
    });
    afterAll(async () => {
      if (cachedDb?.isInitialized) await cachedDb.destroy();
      await cached?.close();
    });

    it('serves a revoked token from the cache for at most the TTL, then refuses it', async () => {
      const token = await issueToken(cached, 'opaque', 'profile');
      expect((await call(cached, '/api/me', { token })).status).toBe(200);
      await cachedDb.getRepository(AccessTokenEntity).update({ tokenHash: sha256(token) }, { revokedAt: clock.now() });
      clock.advance(59);
      expect((await call(cached, '/api/me', { token })).status).toBe(200);
      clock.advance(1);
      expectInvalidToken(await call(cached, '/api/me', { token }));
    });
  });
});
