import { Inject, Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { sameDigest } from '../../internal/constant-time.js';
import { sha256Hex } from '../../internal/sha256.js';
import { accessTokenIdOf } from '../../tokens/access-token-id.js';
import { AccessTokenEntity } from '../entities/access-token.entity.js';
import { EntitySql } from './entity-sql.js';
import { InsertBatcher } from './insert-batcher.js';
import { ReadBatcher } from './read-batcher.js';

/**
 * Issued access tokens (both formats). A presented token is found by the id it carries (an opaque token's prefix, a
 * JWT's `jti`: the primary key) and accepted only when its SHA-256 hash equals the row's.
 */
@Injectable()
export class AccessTokenStore {
  private readonly repository: Repository<AccessTokenEntity>;
  /** Issuing and introspecting are the hot paths: constant statements, no query building, no read-back. */
  private readonly sql: EntitySql<AccessTokenEntity>;
  /** Tokens issued at the same time are committed together (group commit). */
  private readonly inserts: InsertBatcher<AccessTokenEntity>;
  /** Tokens looked up at the same time are read together (one round trip on PostgreSQL). */
  private readonly reads: ReadBatcher<AccessTokenEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(AccessTokenEntity);
    this.sql = new EntitySql(handle.dataSource, AccessTokenEntity);
    this.inserts = new InsertBatcher((rows) => this.sql.insert(...rows));
    this.reads = new ReadBatcher((ids) => this.sql.selectIn('id', ids), (row) => row.id);
  }

  /** Resolves once the row is committed. */
  insert(token: AccessTokenEntity): Promise<void> {
    return this.inserts.insert(token);
  }

  /** The row of a token as presented (opaque or JWT, verified or not), or null when no row is this very token. */
  async findByToken(token: string): Promise<AccessTokenEntity | null> {
    const id = accessTokenIdOf(token);
    if (id === undefined) return null;
    const row = await this.findById(id);
    return row && sameDigest(row.tokenHash, sha256Hex(token)) ? row : null;
  }

  /** By token identifier (`jti`). */
  findById(id: string): Promise<AccessTokenEntity | null> {
    return this.reads.find(id);
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

  /** The live tokens of a login session outside the `keep` grants (what `revokeSession` would revoke). */
  async liveOfSession(sid: string, keep: readonly string[]): Promise<{ id: string; clientId: string; subject: string }[]> {
    const where: FindOptionsWhere<AccessTokenEntity> = { sid, revokedAt: IsNull(), ...(keep.length > 0 ? { grantId: Not(In([...keep])) } : {}) };
    return this.repository.find({ where, select: { id: true, clientId: true, subject: true } });
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
