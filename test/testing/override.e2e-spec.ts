import { Test } from '@nestjs/testing';
import { createLocalJWKSet, generateKeyPair, exportJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthModule } from '../../src/index.js';
import { AuthTesting, AuthTestingModule, findModuleImport } from '../../src/testing/index.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { freshDatabase, listenTestingModule } from '../support/test-app.js';
import { HostAppModule } from './support/host-app.js';
import { recordConnections } from './support/outbound.js';

/**
 * A host app wired for production (AuthModule on an unreachable PostgreSQL) tested with AuthTestingModule in place of
 * its AuthModule: minted tokens pass and fail the real guards, claims reach `@CurrentToken()`, nothing leaves the
 * machine. On PostgreSQL (TEST_DATABASE_URL) the testing server keeps its rows there instead of in memory.
 */
describe.each(testMatrix())('AuthTestingModule over the host AuthModule (%s, %s)', (platform, db) => {
  let t: Awaited<ReturnType<typeof listenTestingModule>>;
  let testing: AuthTesting;
  let bootMs: number;
  const fresh = db === 'postgres' ? freshDatabase('postgres') : undefined;
  let connections: ReturnType<typeof recordConnections>;

  beforeAll(async () => {
    connections = recordConnections();
    const started = performance.now();
    const moduleRef = await Test.createTestingModule({ imports: [HostAppModule] })
      .overrideModule(findModuleImport(HostAppModule, AuthModule))
      .useModule(AuthTestingModule.forRoot({ defaultScopes: ['posts:read'], ...(fresh ? { server: { database: fresh.database } } : {}) }))
      .compile();
    t = await listenTestingModule(moduleRef, platform);
    bootMs = performance.now() - started;
    testing = t.app.get(AuthTesting);
  });

  afterAll(async () => {
    connections?.restore();
    await t?.close();
    await fresh?.drop();
  });

  const get = (path: string, authorization?: string) => request(`${t.url}${path}`, { headers: authorization ? { authorization } : {} });
  const post = (path: string, authorization: string) => request(`${t.url}${path}`, { method: 'POST', headers: { authorization } });

  it('boots without the host database, quickly', () => {
    console.info(`AuthTestingModule boot (${platform}, ${db}): ${bootMs.toFixed(0)} ms (compile + listen)`);
    expect(bootMs).toBeLessThan(15_000);
  });

  it('lets a minted token with the required scope through, with its claims in @CurrentToken()', async () => {
    const token = await testing.mintAccessToken({ subject: 'user-42', clientId: 'mobile', scope: 'posts:read', claims: { tenant: 't-7', roles: ['editor'] } });
    const res = await get('/api/posts', `Bearer ${token}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ sub: 'user-42', clientId: 'mobile', format: 'jwt', scopes: ['posts:read'], aud: ['http://localhost'] });
    expect(res.body.claims).toMatchObject({ tenant: 't-7', roles: ['editor'], iss: 'http://localhost', client_id: 'mobile' });
  });

  it('uses the module defaults (subject, client, scopes) and builds the Authorization header', async () => {
    const res = await get('/api/posts', await testing.authorization());
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ sub: 'test-user', clientId: 'test-client', scopes: ['posts:read'] });
  });

  it('answers 403 insufficient_scope to a token without the route scope', async () => {
    const res = await post('/api/posts', await testing.authorization({ scope: ['posts:read', 'other'] }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="posts:write"');
    const allowed = await post('/api/posts', await testing.authorization({ scope: 'posts:write', subject: 'writer' }));
    expect(allowed.status, allowed.text).toBe(201);
    expect(allowed.body).toEqual({ created: true, by: 'writer' });
  });

  it('answers 401 to an expired token, a revoked one, a missing one and one for another audience', async () => {
    const expired = await get('/api/posts', `Bearer ${await testing.expiredAccessToken({ scope: 'posts:read' })}`);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(expired.body.error_description).toBe('The access token expired');
    expect((await get('/api/posts', `Bearer ${await testing.revokedAccessToken({ scope: 'posts:read' })}`)).status).toBe(401);
    const missing = await get('/api/posts');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="http://localhost"');
    expect((await get('/api/posts', await testing.authorization({ audience: 'https://other.example.com' }))).status).toBe(401);
  });

  it('revokes a token already used (the guards forget it at once)', async () => {
    for (const format of ['jwt', 'opaque'] as const) {
      const token = await testing.mintAccessToken({ format });
      expect((await get('/api/account', `Bearer ${token}`)).status).toBe(200);
      await testing.revoke(token);
      expect((await get('/api/account', `Bearer ${token}`)).status).toBe(401);
    }
  });

  it('mints opaque tokens the guards check against the database, expired and revoked ones too', async () => {
    const res = await get('/api/posts', await testing.authorization({ format: 'opaque', subject: 'user-9' }));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ sub: 'user-9', format: 'opaque', scopes: ['posts:read'] });
    expect((await get('/api/posts', `Bearer ${await testing.expiredAccessToken({ format: 'opaque' })}`)).status).toBe(401);
    expect((await get('/api/posts', `Bearer ${await testing.revokedAccessToken({ format: 'opaque' })}`)).status).toBe(401);
  });

  it('mints real tokens: JWTs and ID tokens verify against the testing server JWKS', async () => {
    const keys = createLocalJWKSet((await get('/oauth/jwks')).body as { keys: [] });
    const access = await jwtVerify(await testing.mintAccessToken({ scope: 'a b' }), keys, { issuer: 'http://localhost', audience: 'http://localhost', typ: 'at+jwt' });
    expect(access.payload).toMatchObject({ scope: 'a b', sub: 'test-user', client_id: 'test-client' });
    const id = await jwtVerify(await testing.mintIdToken({ subject: 'user-1', clientId: 'web', nonce: 'n-1', claims: { name: 'Ada' } }), keys, { issuer: 'http://localhost', audience: 'web' });
    expect(id.payload).toMatchObject({ sub: 'user-1', aud: 'web', nonce: 'n-1', name: 'Ada' });
    expect(typeof id.payload.auth_time).toBe('number');
  });

  it('refuses a DPoP-bound token sent as a Bearer token, as in production', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const token = await testing.mintAccessToken({ dpop: await exportJWK(publicKey) });
    const res = await get('/api/posts', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('says what is wrong with a mint request instead of minting something else', async () => {
    await expect(testing.mintAccessToken({ claims: { sub: 'x' } })).rejects.toThrow(/claims: sub cannot be set here/);
    await expect(testing.mintAccessToken({ format: 'opaque', claims: { tenant: 't' } })).rejects.toThrow(/need format 'jwt'/);
    await expect(testing.mintAccessToken({ scope: 'bad"scope' })).rejects.toThrow(/scope/);
    await expect(testing.mintAccessToken({ expiresIn: 0 })).rejects.toThrow(/expiresIn/);
    await expect(testing.mintAccessToken({ dpop: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' } })).rejects.toThrow(/public JWK/);
    await expect(testing.revoke('not-a-token')).rejects.toThrow(/not an access token of this server/);
  });

  it('never connected to anything but this machine (the host database was never tried)', () => {
    expect(connections.targets.some((target) => target.host === '127.0.0.1')).toBe(true); // the recorder sees this test's own requests
    expect(connections.nonLocal()).toEqual([]);
  });
});
