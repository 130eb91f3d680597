import { afterEach, describe, expect, it } from 'vitest';
import { ClientEntity, SigningKeyEntity, type AuthDatabaseOptions, type AuthModuleOptions, type ClientSeed } from '../../src/index.js';
import { authnestDataSource, getMe, issueToken, kidOf, MeController, publishedKids, requestToken } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, type TestApp } from '../support/test-app.js';

const JWT_CLIENT: ClientSeed = { clientId: 'svc', clientSecret: 'svc-secret-123', scopes: ['read'] };
const OPAQUE_CLIENT: ClientSeed = { clientId: 'svc-opaque', clientSecret: 'opaque-secret-123', scopes: ['read'], accessTokenFormat: 'opaque' };

describe.each(testMatrix())('restart on the same database on %s/%s', (platform, db) => {
  const apps: TestApp[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await drop?.();
    drop = undefined;
  });

  function database(): AuthDatabaseOptions {
    const fresh = freshDatabase(db);
    drop = fresh.drop;
    return fresh.database;
  }

  async function boot(database: AuthDatabaseOptions, clients: ClientSeed[] = [JWT_CLIENT, OPAQUE_CLIENT]): Promise<TestApp> {
    const options: Partial<AuthModuleOptions> = { scopes: ['read'], clients };
    const app = await bootTestApp({ platform, db, database, options, controllers: [MeController] });
    apps.push(app);
    return app;
  }

  async function secretHashOf(app: TestApp, clientId: string): Promise<string | null> {
    return (await authnestDataSource(app.app).getRepository(ClientEntity).findOneByOrFail({ clientId })).secretHash;
  }

  it('keeps keys, tokens and clients, and seeds idempotently', async () => {
    const shared = database();
    const first = await boot(shared);
    const kids = await publishedKids(first.url);
    const jwt = await issueToken(first.url, 'svc', 'svc-secret-123', { scope: 'read' });
    const opaque = await issueToken(first.url, 'svc-opaque', 'opaque-secret-123', { scope: 'read' });
    expect(jwt.split('.')).toHaveLength(3);
    expect(opaque.split('.')).toHaveLength(1);
    const hashes = [await secretHashOf(first, 'svc'), await secretHashOf(first, 'svc-opaque')];
    await first.app.close();

    const second = await boot(shared);
    expect(await publishedKids(second.url)).toEqual(kids);
    const viaJwt = await getMe(second.url, jwt);
    expect(viaJwt.status, viaJwt.text).toBe(200);
    expect(viaJwt.body).toEqual({ sub: 'svc', clientId: 'svc', format: 'jwt', scopes: ['read'] });
    const viaOpaque = await getMe(second.url, opaque);
    expect(viaOpaque.status, viaOpaque.text).toBe(200);
    expect(viaOpaque.body).toEqual({ sub: 'svc-opaque', clientId: 'svc-opaque', format: 'opaque', scopes: ['read'] });
    expect(kidOf(await issueToken(second.url, 'svc', 'svc-secret-123'))).toBe(kids[0]);
    expect(await secretHashOf(second, 'svc')).toBe(hashes[0]);
    expect(await secretHashOf(second, 'svc-opaque')).toBe(hashes[1]);
    const ds = authnestDataSource(second.app);
    expect(await ds.getRepository(SigningKeyEntity).count()).toBe(1);
    expect(await ds.getRepository(ClientEntity).count()).toBe(2);
  });

  it('a changed seeded secret replaces the old one at the next boot', async () => {
    const shared = database();
    const first = await boot(shared);
    const before = await secretHashOf(first, 'svc');
    const earlier = await issueToken(first.url, 'svc', 'svc-secret-123');
    await first.app.close();

    const second = await boot(shared, [{ ...JWT_CLIENT, clientSecret: 'rotated-secret-456' }, OPAQUE_CLIENT]);
    const old = await requestToken(second.url, 'svc', 'svc-secret-123');
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    expect((await requestToken(second.url, 'svc', 'rotated-secret-456')).status).toBe(200);
    const after = await secretHashOf(second, 'svc');
    expect(after).not.toBe(before);
    expect(after).toMatch(/^scrypt\$/);
    expect((await getMe(second.url, earlier)).status).toBe(200);
  });

  it('seed changes other than the secret update the stored client', async () => {
    const shared = database();
    const first = await boot(shared);
    const created = await authnestDataSource(first.app).getRepository(ClientEntity).findOneByOrFail({ clientId: 'svc' });
    await first.app.close();

    const second = await boot(shared, [{ ...JWT_CLIENT, name: 'Service', accessTokenFormat: 'opaque' }, OPAQUE_CLIENT]);
    const updated = await authnestDataSource(second.app).getRepository(ClientEntity).findOneByOrFail({ clientId: 'svc' });
    expect(updated).toMatchObject({ name: 'Service', accessTokenFormat: 'opaque', secretHash: created.secretHash, createdAt: created.createdAt });
    expect((await issueToken(second.url, 'svc', 'svc-secret-123')).split('.')).toHaveLength(1);
  });
});
