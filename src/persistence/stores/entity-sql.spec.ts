import 'reflect-metadata';
import { DataSource, QueryFailedError } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { ClientEntity } from '../entities/client.entity.js';
import { authnestEntities } from '../entities/index.js';
import { EntitySql } from './entity-sql.js';

const client = (clientId: string): ClientEntity => ({
  clientId,
  secretHash: null,
  name: 'A client',
  authMethods: ['client_secret_basic'],
  grantTypes: ['client_credentials'],
  scopes: ['api:read'],
  defaultScopes: [],
  redirectUris: [],
  accessTokenFormat: null,
  audience: null,
  resources: null,
  disabled: true,
  firstParty: false,
  allowIntrospection: true,
  postLogoutRedirectUris: [],
  backchannelLogoutUri: null,
  subjectType: 'public',
  sectorIdentifier: null,
  secretSealed: null,
  jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
  jwksUri: null,
  tokenEndpointAuthSigningAlg: null,
  requirePushedAuthorizationRequests: false,
  dpopBoundAccessTokens: false,
  createdAt: 1_700_000_000_123,
  updatedAt: 1_700_000_000_456,
  registeredAt: null,
  registrationTokenHash: null,
  registrationTokenExpiresAt: null,
  registrationMetadata: { contacts: ['a@example.com'] },
});

describe('EntitySql (better-sqlite3)', () => {
  let dataSource: DataSource | undefined;
  const open = async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: authnestEntities, synchronize: true });
    return dataSource.initialize();
  };
  afterEach(async () => {
    await dataSource?.destroy();
  });

  it('writes and reads rows as the repository does: booleans, JSON lists and objects, nulls, epoch milliseconds', async () => {
    const ds = await open();
    const sql = new EntitySql(ds, ClientEntity);
    await sql.insert(client('c1'), client('c2'));
    const byId = sql.selectText(['clientId']);
    const read = await sql.selectOne(byId, ['c1']);
    expect(read).toBeInstanceOf(ClientEntity);
    expect(read).toEqual(await ds.getRepository(ClientEntity).findOneBy({ clientId: 'c1' }));
    expect(read).toEqual(client('c1'));
    expect(await sql.selectOne(byId, ['c2'])).toEqual(client('c2'));
    expect(await sql.selectOne(byId, ['none'])).toBeNull();
    expect(await sql.selectOne(byId, [undefined])).toBeNull();
  });

  it('refuses a duplicate key with QueryFailedError, all rows of the statement or none', async () => {
    const ds = await open();
    const sql = new EntitySql(ds, ClientEntity);
    await sql.insert(client('c1'));
    await expect(sql.insert(client('c3'), client('c1'))).rejects.toBeInstanceOf(QueryFailedError);
    expect(await ds.getRepository(ClientEntity).count()).toBe(1);
  });

  it('selects on several columns, and prepares again on a reopened DataSource', async () => {
    const ds = await open();
    const sql = new EntitySql(ds, AccessTokenEntity);
    const row: AccessTokenEntity = {
      id: 'j1', tokenHash: 'h1', clientId: 'c1', format: 'opaque', grantId: null, subject: 's', scopes: ['a', 'b'], audience: 'aud',
      issuedAt: 1, expiresAt: 2, revokedAt: null, sid: null, claims: null, act: null, mayAct: null, jkt: null,
    };
    await sql.insert(row);
    const text = sql.selectText(['tokenHash', 'clientId']);
    expect(await sql.selectOne(text, ['h1', 'c1'])).toEqual(row);
    expect(await sql.selectOne(text, ['h1', 'c2'])).toBeNull();
    await ds.destroy();
    await ds.initialize();
    await ds.synchronize();
    expect(await sql.selectOne(text, ['h1', 'c1'])).toBeNull();
  });

  it('selects the rows of several keys at once, whatever their count', async () => {
    const ds = await open();
    const sql = new EntitySql(ds, ClientEntity);
    await sql.insert(client('c1'), client('c2'), client('c3'));
    const ids = (rows: ClientEntity[]) => rows.map((row) => row.clientId).sort();
    expect(ids(await sql.selectIn('clientId', ['c3', 'c1', 'none']))).toEqual(['c1', 'c3']);
    expect(ids(await sql.selectIn('clientId', ['c2']))).toEqual(['c2']);
    expect(await sql.selectIn('clientId', [])).toEqual([]);
    expect((await sql.selectIn('clientId', ['c1']))[0]).toEqual(client('c1'));
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)('EntitySql (PostgreSQL)', () => {
  const schema = `entity_sql_${process.pid}_${Date.now()}`;
  let dataSource: DataSource | undefined;
  const open = async () => {
    const admin = new DataSource({ type: 'postgres', url: postgresUrl });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await admin.destroy();
    // One connection, so the session that prepared the statements is the one asked about them.
    dataSource = new DataSource({ type: 'postgres', url: postgresUrl, schema, entities: authnestEntities, synchronize: true, extra: { max: 1 } });
    return dataSource.initialize();
  };
  afterEach(async () => {
    if (!dataSource?.isInitialized) return;
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('runs its statements as named prepared statements, rows as the repository reads them, errors as QueryFailedError', async () => {
    const ds = await open();
    const sql = new EntitySql(ds, ClientEntity);
    await sql.insert(client('c1'));
    const byId = sql.selectText(['clientId']);
    expect(await sql.selectOne(byId, ['c1'])).toEqual(await ds.getRepository(ClientEntity).findOneBy({ clientId: 'c1' }));
    expect(await sql.selectOne(byId, ['c1'])).toEqual(client('c1'));
    expect(await sql.selectOne(byId, ['none'])).toBeNull();
    // A lost race (a duplicate key) fails the statement and keeps the connection with what it prepared.
    await expect(sql.insert(client('c1'))).rejects.toBeInstanceOf(QueryFailedError);
    const prepared = (await ds.query('SELECT name, statement FROM pg_prepared_statements')) as { name: string; statement: string }[];
    const ours = prepared.filter((row) => row.name.startsWith('authnest_'));
    expect(ours.map((row) => row.statement)).toEqual(expect.arrayContaining([byId]));
    expect(ours).toHaveLength(2);
    expect((await sql.selectIn('clientId', ['c1', 'none'])).map((row) => row.clientId)).toEqual(['c1']);
  });
});
