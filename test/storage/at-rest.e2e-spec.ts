import { afterEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AccessTokenEntity, authnestEntities, ClientEntity, TokenPurgeService } from '../../src/index.js';
import { sha256Hex } from '../../src/internal/sha256.js';
import { verifyClientSecret } from '../../src/tokens/client-secret-hasher.js';
import { authnestDataSource, getMe, issueToken, MeController, requestToken } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';

const SECRET = 'web-secret-0123456789';
const CLIENTS = [
  { clientId: 'web', clientSecret: SECRET, scopes: ['read'], accessTokenFormat: 'opaque' as const },
  { clientId: 'jwt', clientSecret: 'jwt-secret-0123456789', scopes: ['read'] },
];

/** Every row authnest stores, as one string (a database dump through the TypeORM DataSource). */
async function dump(dataSource: DataSource): Promise<string> {
  const tables = await Promise.all(authnestEntities.map((entity) => dataSource.getRepository(entity).find()));
  return JSON.stringify(tables);
}

describe.each(testMatrix())('storage at rest on %s/%s', (platform, db) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function boot(clock?: FakeClock): Promise<TestApp> {
    t = await bootTestApp({ platform, db, clock, options: { scopes: ['read'], clients: CLIENTS, accessToken: { ttl: 60 } }, controllers: [MeController] });
    return t;
  }

  it('stores client secrets only as scrypt hashes, and the hash does not authenticate (checklist 80)', async () => {
    const app = await boot();
    const ds = authnestDataSource(app.app);
    const client = await ds.getRepository(ClientEntity).findOneByOrFail({ clientId: 'web' });
    expect(client.secretHash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyClientSecret(SECRET, client.secretHash!)).toBe(true);
    const stored = await dump(ds);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain('jwt-secret-0123456789');
    const replay = await requestToken(app.url, 'web', client.secretHash!);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
  });

  it('stores access tokens (opaque and JWT) only as SHA-256 hashes; stored values do not work as tokens (checklist 81)', async () => {
    const app = await boot();
    const ds = authnestDataSource(app.app);
    const token = await issueToken(app.url, 'web', SECRET, { scope: 'read' });
    const jwt = await issueToken(app.url, 'jwt', 'jwt-secret-0123456789', { scope: 'read' });
    const rows = await ds.getRepository(AccessTokenEntity).find({ order: { format: 'DESC' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ tokenHash: sha256Hex(token), format: 'opaque', clientId: 'web', subject: 'web', scopes: ['read'], revokedAt: null });
    expect(rows[1]).toMatchObject({ tokenHash: sha256Hex(jwt), format: 'jwt', clientId: 'jwt', revokedAt: null });
    expect(rows[0]!.id).not.toBe(token);
    const stored = await dump(ds);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(jwt);
    for (const row of rows) for (const value of [row.tokenHash, row.id]) expect((await getMe(app.url, value)).status).toBe(401);
    expect((await getMe(app.url, token)).status).toBe(200);
  });

  it('keys access tokens by the id they carry, uniquely; the hash is checked, not indexed', async () => {
    const app = await boot();
    const ds = authnestDataSource(app.app);
    await issueToken(app.url, 'web', SECRET);
    const runner = ds.createQueryRunner();
    const table = await runner.getTable(ds.getMetadata(AccessTokenEntity).tablePath);
    await runner.release();
    expect(table!.primaryColumns.map((column) => column.name)).toEqual(['id']);
    expect(table!.indices.flatMap((index) => index.columnNames)).not.toContain('token_hash');
    const [row] = await ds.getRepository(AccessTokenEntity).find();
    await expect(ds.getRepository(AccessTokenEntity).insert({ ...row!, tokenHash: 'f'.repeat(64) })).rejects.toThrow();
    expect(await ds.getRepository(AccessTokenEntity).count()).toBe(1);
  });

  it('TokenPurgeService.purgeExpired() deletes expired tokens only', async () => {
    const clock = new FakeClock();
    const app = await boot(clock);
    const repository = authnestDataSource(app.app).getRepository(AccessTokenEntity);
    const purge = app.app.get(TokenPurgeService);
    const early = await issueToken(app.url, 'web', SECRET);
    clock.advance(30);
    const late = await issueToken(app.url, 'web', SECRET);
    expect(await purge.purgeExpired()).toBe(0);
    clock.advance(31);
    expect((await getMe(app.url, early)).status).toBe(401);
    expect(await repository.count()).toBe(2);
    expect(await purge.purgeExpired()).toBe(1);
    expect((await repository.find()).map((row) => row.tokenHash)).toEqual([sha256Hex(late)]);
    expect((await getMe(app.url, late)).status).toBe(200);
    expect(await purge.purgeExpired()).toBe(0);
    clock.advance(30);
    expect(await purge.purgeExpired()).toBe(1);
    expect(await repository.count()).toBe(0);
  });
});
