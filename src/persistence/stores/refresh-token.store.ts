import { Inject, Injectable } from '@nestjs/common';
import type BetterSqlite3 from 'better-sqlite3';
import { In, IsNull, LessThan, Not, type DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { RefreshTokenEntity } from '../entities/refresh-token.entity.js';
import { EntitySql } from './entity-sql.js';

/** Refresh tokens by SHA-256 hash; rotation is one atomic conditional update. */
@Injectable()
export class RefreshTokenStore {
  private readonly repository: Repository<RefreshTokenEntity>;
  private readonly dataSource: DataSource;

  /** Introspection and revocation look every presented token up here first: a constant statement. */
  private readonly sql: EntitySql<RefreshTokenEntity>;
  private readonly byHash: string;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(RefreshTokenEntity);
    this.dataSource = handle.dataSource;
    this.sql = new EntitySql(handle.dataSource, RefreshTokenEntity);
    this.byHash = this.sql.selectText(['tokenHash']);
  }

  async insert(token: RefreshTokenEntity): Promise<void> {
    await this.repository.insert(token);
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.sql.selectOne(this.byHash, [tokenHash]);
  }

  /** Marks the token rotated; resolves false when it was already rotated or revoked (lost a race). */
  async markRotated(id: string, now: number): Promise<boolean> {
    const result = await this.repository.update({ id, rotatedAt: IsNull(), revokedAt: IsNull() }, { rotatedAt: now });
    return result.affected === 1;
  }

  /** Revokes every live token of a login session except those of the `keep` grants; resolves how many. */
  async revokeSession(sid: string, keep: readonly string[], now: number): Promise<number> {
    const where: FindOptionsWhere<RefreshTokenEntity> = { sid, revokedAt: IsNull(), ...(keep.length > 0 ? { grantId: Not(In([...keep])) } : {}) };
    return (await this.repository.update(where, { revokedAt: now })).affected ?? 0;
  }

  /** Revokes every live token of a grant (family); resolves how many. */
  async revokeGrant(grantId: string, now: number): Promise<number> {
    return (await this.repository.update({ grantId, revokedAt: IsNull() }, { revokedAt: now })).affected ?? 0;
  }

  /**
   * Revokes a grant as one unit: every live refresh token of its family and every live access token issued from it,
   * in one transaction, so a process that dies between the two (or a connection that drops) never leaves the family
   * revoked and its access tokens accepted. On SQLite both statements run synchronously in one immediate transaction
   * on the driver's one connection (no other statement of this process can come between them). Resolves the counts.
   */
  async revokeGrantWithAccessTokens(grantId: string, now: number): Promise<{ refresh: number; access: number }> {
    const sqlite = this.sqliteConnection();
    if (sqlite) {
      const update = (entity: typeof RefreshTokenEntity | typeof AccessTokenEntity) =>
        sqlite.prepare(`UPDATE "${this.dataSource.getMetadata(entity).tablePath}" SET "revoked_at" = ? WHERE "grant_id" = ? AND "revoked_at" IS NULL`);
      const revoke = () => ({ refresh: update(RefreshTokenEntity).run(now, grantId).changes, access: update(AccessTokenEntity).run(now, grantId).changes });
      // Inside a transaction TypeORM has open on the connection, the statements are part of it.
      return sqlite.inTransaction ? revoke() : sqlite.transaction(revoke).immediate();
    }
    return this.dataSource.transaction(async (manager) => ({
      refresh: (await manager.update(RefreshTokenEntity, { grantId, revokedAt: IsNull() }, { revokedAt: now })).affected ?? 0,
      access: (await manager.update(AccessTokenEntity, { grantId, revokedAt: IsNull() }, { revokedAt: now })).affected ?? 0,
    }));
  }

  /** better-sqlite3's connection while the DataSource is open on it (statements on it run synchronously). */
  private sqliteConnection(): BetterSqlite3.Database | undefined {
    if (this.dataSource.options.type !== 'better-sqlite3' || !this.dataSource.isInitialized) return undefined;
    return (this.dataSource.driver as unknown as { databaseConnection?: BetterSqlite3.Database }).databaseConnection;
  }

  /** The grants made in a login session, with their scopes (a family keeps its grant's scopes). */
  async grantsOfSession(sid: string): Promise<{ grantId: string; scopes: string[] }[]> {
    const rows = await this.repository.find({ where: { sid }, select: { grantId: true, scopes: true } });
    return rows.map(({ grantId, scopes }) => ({ grantId, scopes }));
  }

  /** The live families of a login session outside `keep` (what `revokeSession` would revoke), one entry per family. */
  async liveOfSession(sid: string, keep: readonly string[]): Promise<{ grantId: string; clientId: string; accountId: string }[]> {
    const where: FindOptionsWhere<RefreshTokenEntity> = { sid, revokedAt: IsNull(), ...(keep.length > 0 ? { grantId: Not(In([...keep])) } : {}) };
    const rows = await this.repository.find({ where, select: { grantId: true, clientId: true, accountId: true } });
    const families = new Map(rows.map(({ grantId, clientId, accountId }) => [grantId, { grantId, clientId, accountId }]));
    return [...families.values()];
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
