import { Inject, Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { RefreshTokenEntity } from '../entities/refresh-token.entity.js';
import { EntitySql } from './entity-sql.js';

/** Refresh tokens by SHA-256 hash; rotation is one atomic conditional update. */
@Injectable()
export class RefreshTokenStore {
  private readonly repository: Repository<RefreshTokenEntity>;

  /** Introspection and revocation look every presented token up here first: a constant statement. */
  private readonly sql: EntitySql<RefreshTokenEntity>;
  private readonly byHash: string;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(RefreshTokenEntity);
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

  /** The grants made in a login session, with their scopes (a family keeps its grant's scopes). */
  async grantsOfSession(sid: string): Promise<{ grantId: string; scopes: string[] }[]> {
    const rows = await this.repository.find({ where: { sid }, select: { grantId: true, scopes: true } });
    return rows.map(({ grantId, scopes }) => ({ grantId, scopes }));
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
