import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthTesting, AuthTestingModule } from '../../src/testing/index.js';
import { request } from '../support/http.js';
import { bootTestApp, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { PostsController } from './support/host-app.js';

/** DPoP-bound tokens minted for a key (RFC 9449): accepted with a proof of that key only. In-memory SQLite. */
describe.each(['express', 'fastify'] as const)('AuthTestingModule DPoP-bound tokens (%s)', (platform) => {
  let t: TestApp;
  let testing: AuthTesting;

  beforeAll(async () => {
    t = await bootTestApp({ platform, db: 'sqlite', authModule: AuthTestingModule.forRoot({ issuer: TEST_ISSUER, server: { dpop: {} } }), controllers: [PostsController] });
    testing = t.app.get(AuthTesting);
  });

  afterAll(() => t?.close());

  it('binds a token to a public JWK or a thumbprint; the guard wants a proof of that key', async () => {
    const key = await DpopKey.generate();
    const other = await DpopKey.generate();
    const htu = `${TEST_ISSUER}/api/posts`;
    for (const dpop of [key.publicJwk, { jkt: key.jkt }]) {
      const authorization = await testing.authorization({ scope: 'posts:read', dpop });
      expect(authorization.startsWith('DPoP ')).toBe(true);
      const token = authorization.slice(5);
      const ok = await request(`${t.url}/api/posts`, { headers: { authorization, dpop: await key.proof('GET', htu, { accessToken: token }) } });
      expect(ok.status, ok.text).toBe(200);
      const wrongKey = await request(`${t.url}/api/posts`, { headers: { authorization, dpop: await other.proof('GET', htu, { accessToken: token }) } });
      expect(wrongKey.status).toBe(401);
      expect((await request(`${t.url}/api/posts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }
  });
});
