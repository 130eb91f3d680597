/**
 * Access tokens are found by the id they carry (an opaque token's 22-character prefix, a JWT's `jti`) and accepted
 * only when the whole token's SHA-256 hash is the row's: a token that names a real row but is not that row's token
 * (another secret, an altered JWT) is unknown everywhere (introspection, revocation, the guard, UserInfo) and changes
 * nothing. The migration that dropped the hash index (1765000000000) builds exactly the entity, and reverts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/internal/sha256.js';
import { AccessTokenEntity } from '../../src/persistence/entities/access-token.entity.js';
import { AuthnestAccessTokenIds1765000000000 } from '../../src/persistence/migrations/1765000000000-authnest-access-token-ids.js';
import { authnestDataSource, getMe, issueToken, MeController } from '../support/app-helpers.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

const CLIENT = {
  clientId: 'svc',
  clientSecret: 'svc-secret-0123456789',
  grantTypes: ['client_credentials'],
  scopes: ['read'],
  accessTokenFormat: 'opaque' as const,
  allowIntrospection: true,
};
const JWT_CLIENT = { ...CLIENT, clientId: 'svc-jwt', accessTokenFormat: 'jwt' as const };

/**
 * The same token with its tenth character from the end changed (still base64url, same length; not the last one,
 * whose low bits base64url decoders ignore).
 */
function altered(token: string): string {
  const at = token.length - 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

describe.each(testMatrix())('access tokens found by their id on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ platform, db, controllers: [MeController], options: { scopes: ['read'], clients: [CLIENT, JWT_CLIENT] } });
  });
  afterAll(() => t?.close());

  const introspect = (token: string) => postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) });
  const revoke = (token: string) => postForm(`${t.url}/oauth/revoke`, { token }, { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) });

  it('issues opaque tokens that begin with the row id', async () => {
    const token = await issueToken(t.url, CLIENT.clientId, CLIENT.clientSecret);
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);
    const row = await authnestDataSource(t.app).getRepository(AccessTokenEntity).findOneBy({ id: token.slice(0, 22) });
    expect(row?.tokenHash).toBe(sha256Hex(token));
    expect((await introspect(token)).body).toMatchObject({ active: true, jti: token.slice(0, 22) });
  });

  it.each([
    ['an opaque token with the id of a real one and another secret', 'opaque'],
    ['a JWT with the jti of a real one and an altered signature', 'jwt'],
  ] as const)('treats %s as unknown everywhere, changing nothing', async (_, format) => {
    const real = await issueToken(t.url, format === 'jwt' ? JWT_CLIENT.clientId : CLIENT.clientId, CLIENT.clientSecret);
    const forged = altered(real);
    expect((await introspect(forged)).body).toEqual({ active: false });
    expect((await getMe(t.url, forged)).status).toBe(401);
    expect((await revoke(forged)).status).toBe(200);
    expect((await introspect(real)).body).toMatchObject({ active: true });
    expect((await getMe(t.url, real)).status).toBe(200);
  });

  it('does not recognise an opaque token without an id (the format before 1765000000000)', async () => {
    expect((await introspect('a'.repeat(43))).body).toEqual({ active: false });
    expect((await getMe(t.url, 'a'.repeat(43))).status).toBe(401);
  });

  it('has a migration that builds exactly the entity (no schema drift), and reverts', async () => {
    const dataSource = authnestDataSource(t.app);
    const drift = async () => (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => q.query.includes('authnest_access_tokens'));
    expect(await drift()).toEqual([]);
    const runner = dataSource.createQueryRunner();
    try {
      await new AuthnestAccessTokenIds1765000000000().down(runner);
      const indices = (await runner.getTable('authnest_access_tokens'))!.indices.map((index) => index.name);
      expect(indices).toContain('authnest_access_tokens_hash_uq');
      await new AuthnestAccessTokenIds1765000000000().up(runner);
      const after = (await runner.getTable('authnest_access_tokens'))!.indices.map((index) => index.name);
      expect(after).not.toContain('authnest_access_tokens_hash_uq');
    } finally {
      await runner.release();
    }
    expect(await drift()).toEqual([]);
  });
});
