/**
 * Several instances on one database (architecture: stateless instances, keys in the database): a key that
 * another instance inserted after this one booted is picked up on the first token that names it, so tokens
 * verify on every instance. Two apps share one SQLite file or PostgreSQL schema and sign with different
 * algorithms (ES256 and RS256), so the second boot inserts a key the first has never seen.
 */
import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentToken, RequireScope, type SigningAlgorithm } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { TEST_SECRET, type TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInvalidToken, issueToken } from './support/resource-app.js';
import { inspect } from './support/jwt-forge.js';

@Controller('api')
class MeController {
  @Get('me')
  @RequireScope('profile')
  me(@CurrentToken('clientId') clientId: string) {
    return { clientId };
  }
}

const signing = (algorithm: SigningAlgorithm) => ({ signing: { algorithm, encryptionSecret: TEST_SECRET } });

describe.each(testMatrix())('signing keys shared by two instances on %s/%s', (platform, db) => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await bootResourceApp(platform, db, { controllers: [MeController], options: signing('ES256') });
    second = await bootResourceApp(platform, db, { controllers: [MeController], options: signing('RS256'), database: first.database });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it("signs with each instance's own algorithm", async () => {
    expect(inspect(await issueToken(first, 'jwt', 'profile')).header.alg).toBe('ES256');
    expect(inspect(await issueToken(second, 'jwt', 'profile')).header.alg).toBe('RS256');
  });

  it('verifies a token of the first instance on both', async () => {
    const token = await issueToken(first, 'jwt', 'profile');
    for (const app of [first, second]) {
      const res = await call(app, '/api/me', { token });
      expect(res.status, res.text).toBe(200);
    }
  });

  it('verifies a token signed with the key the second instance inserted, on both (key reload)', async () => {
    const token = await issueToken(second, 'jwt', 'profile');
    const kid = inspect(token).header.kid;
    const before = await call(first, '/oauth/jwks');
    expect((before.body.keys as { kid: string }[]).map((key) => key.kid)).not.toContain(kid);
    for (const app of [second, first]) {
      const res = await call(app, '/api/me', { token });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ clientId: 'rs-jwt' });
    }
    const after = await call(first, '/oauth/jwks');
    expect((after.body.keys as { kid: string }[]).map((key) => key.kid)).toContain(kid);
  });

  it('verifies opaque tokens of either instance on both (shared token table)', async () => {
    for (const issuer of [first, second]) {
      const token = await issueToken(issuer, 'opaque', 'profile');
      for (const app of [first, second]) expect((await call(app, '/api/me', { token })).status).toBe(200);
    }
  });

  it('still refuses an unknown kid on both after the reload', async () => {
    const token = await issueToken(second, 'jwt', 'profile');
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    const renamed = `${Buffer.from(JSON.stringify({ ...forged, kid: 'not-a-key' })).toString('base64url')}.${payload}.${signature}`;
    for (const app of [first, second]) expectInvalidToken(await call(app, '/api/me', { token: renamed }));
  });
});
