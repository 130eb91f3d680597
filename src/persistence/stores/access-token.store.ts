import { Inject, Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { EntitySql } from './entity-sql.js';
import { InsertBatcher } from './insert-batcher.js';

/** Issued access tokens (both formats), looked up by SHA-256 hash. */
@Injectable()
export class AccessTokenStore {
  private readonly repository: Repository<AccessTokenEntity>;
  /** Issuing and introspecting are the hot paths: constant statements, no query building, no read-back. */
  private readonly sql: EntitySql<AccessTokenEntity>;
  private readonly byHash: string;
  /** Tokens issued at the same time are committed together (group commit). */
  private readonly inserts: InsertBatcher<AccessTokenEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(AccessTokenEntity);
    this.sql = new EntitySql(handle.dataSource, AccessTokenEntity);
    this.byHash = this.sql.selectText(['tokenHash']);
    this.inserts = new InsertBatcher((rows) => this.sql.insert(...rows));
  }

  /** Resolves once the row is committed. */
  insert(token: AccessTokenEntity): Promise<void> {
    return this.inserts.insert(token);
  }

  findByHash(tokenHash: string): Promise<AccessTokenEntity | null> {
    return this.sql.selectOne(this.byHash, [tokenHash]);
  }

  /** By token identifier (`jti`). */
  findById(id: string): Promise<AccessTokenEntity | null> {
    return this.repository.findOneBy({ id });
  }

  /** Revokes one token by id; resolves false when it was already revoked or unknown. */
  async revoke(id: string, now: number): Promise<boolean> {
    return (await this.repository.update({ id, revokedAt: IsNull() }, { revokedAt: now })).affected === 1;
  }

  /** Revokes every live token of a login session except those of the `keep` grants; resolves how many. */
  async revokeSession(sid: string, keep: readonly string[], now: number): Promise<number> {
    const where: FindOptionsWhere<AccessTokenEntity> = { sid, revokedAt: IsNull(), ...(keep.length > 0 ? { grantId: Not(In([...keep])) } : {}) };
    return (await this.repository.update(where, { revokedAt: now })).affected ?? 0;
  }

  /** Revokes every live access token issued from a grant; resolves how many. */
  async revokeGrant(grantId: string, now: number): Promise<number> {
    return (await this.repository.update({ grantId, revokedAt: IsNull() }, { revokedAt: now })).affected ?? 0;
  }

  /** Deletes tokens that expired before `before` (ms); returns how many. */
  async deleteExpired(before: number): Promise<number> {
    const result = await this.repository.delete({ expiresAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
