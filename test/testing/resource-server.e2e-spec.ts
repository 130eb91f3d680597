import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthResourceModule } from '../../src/index.js';
import { AuthTesting, AuthTestingModule, findModuleImport } from '../../src/testing/index.js';
import { request } from '../support/http.js';
import { listenTestingModule } from '../support/test-app.js';
import { API_AUDIENCE, ApiAppModule, UNROUTABLE_ISSUER } from './support/host-app.js';
import { recordConnections } from './support/outbound.js';

/**
 * A separate API (AuthResourceModule pointing at an issuer that resolves nowhere) tested with
 * `AuthTestingModule.forResourceServer()` in its place: tokens of the issuer and audience the API expects pass and
 * fail its guards; the remote issuer is never asked (no JWKS fetch, no introspection, no connection at all).
 * In-memory SQLite only: this module has no database option.
 */
describe.each(['express', 'fastify'] as const)('AuthTestingModule over AuthResourceModule (%s)', (platform) => {
  let t: Awaited<ReturnType<typeof listenTestingModule>>;
  let testing: AuthTesting;
  let connections: ReturnType<typeof recordConnections>;

  beforeAll(async () => {
    connections = recordConnections();
    const moduleRef = await Test.createTestingModule({ imports: [ApiAppModule] })
      .overrideModule(findModuleImport(ApiAppModule, AuthResourceModule))
      .useModule(AuthTestingModule.forResourceServer({ issuer: UNROUTABLE_ISSUER, audience: API_AUDIENCE, realm: 'api' }))
      .compile();
    t = await listenTestingModule(moduleRef, platform);
    testing = t.app.get(AuthTesting);
  });

  afterAll(async () => {
    connections?.restore();
    await t?.close();
  });

  const get = (path: string, authorization?: string) => request(`${t.url}${path}`, { headers: authorization ? { authorization } : {} });

  it('accepts JWT and opaque tokens of the expected issuer and audience, offline', async () => {
    for (const format of ['jwt', 'opaque'] as const) {
      const res = await get('/api/posts', await testing.authorization({ format, scope: 'posts:read', subject: 'svc-reporting' }));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ sub: 'svc-reporting', format, aud: [API_AUDIENCE] });
      expect((res.body.claims as Record<string, unknown>).iss).toBe(UNROUTABLE_ISSUER);
    }
  });

  it('refuses what the real resource server would refuse', async () => {
    const insufficient = await get('/api/posts', await testing.authorization({ scope: 'other' }));
    expect(insufficient.status).toBe(403);
    expect(insufficient.headers.get('www-authenticate')).toContain('realm="api"');
    expect((await get('/api/posts', `Bearer ${await testing.expiredAccessToken({ scope: 'posts:read' })}`)).status).toBe(401);
    expect((await get('/api/posts', `Bearer ${await testing.revokedAccessToken({ scope: 'posts:read', format: 'opaque' })}`)).status).toBe(401);
    expect((await get('/api/account', await testing.authorization({ audience: 'https://auth.example.com' }))).status).toBe(401);
    expect((await get('/api/account')).headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('never connected to the remote issuer, or anywhere off this machine', () => {
    expect(connections.targets.some((target) => target.host === '127.0.0.1')).toBe(true); // the recorder sees this test's own requests
    expect(connections.nonLocal()).toEqual([]);
  });
});
