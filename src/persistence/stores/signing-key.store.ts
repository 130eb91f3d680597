import { Inject, Injectable } from '@nestjs/common';
import { In, Not, type DataSource, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { SigningKeyEntity } from '../entities/signing-key.entity.js';

const TABLE = 'authnest_signing_keys';
const COLUMNS = 'kid, alg, status, public_jwk, private_jwk_encrypted, created_at, retire_after, activate_at, revoked_at';

/** Signing keys (private parts encrypted). Usable without Nest (the `authnest keys` CLI builds one on its DataSource). */
@Injectable()
export class SigningKeyStore {
  private readonly dataSource: DataSource;
  private readonly repository: Repository<SigningKeyEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.dataSource = handle.dataSource;
    this.repository = handle.dataSource.getRepository(SigningKeyEntity);
  }

  /** Every stored key, oldest first. */
  findAll(): Promise<SigningKeyEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
  }

  findOne(kid: string): Promise<SigningKeyEntity | null> {
    return this.repository.findOneBy({ kid });
  }

  /** Adds a key (a rotation: several at once are harmless, the latest activation wins). */
  async insert(key: SigningKeyEntity): Promise<void> {
    await this.repository.insert(key);
  }

  /**
   * Inserts `key` only while the table still holds `seen` rows (the count the caller decided on), atomically, so
   * instances that find no signing key at once create one between them; the others re-read and find it.
   * PostgreSQL: under a transaction advisory lock; SQLite: one statement, which holds the database write lock.
   */
  async insertIfUnchanged(key: SigningKeyEntity, seen: number): Promise<boolean> {
    const values = [key.kid, key.alg, key.status, key.publicJwk, key.privateJwkEncrypted, key.createdAt, key.retireAfter, key.activateAt, key.revokedAt];
    if (this.dataSource.options.type === 'postgres') {
      return this.dataSource.transaction(async (manager) => {
        await manager.query("SELECT pg_advisory_xact_lock(hashtext('authnest:signing-keys'))");
        if ((await manager.count(SigningKeyEntity)) !== seen) return false;
        await manager.insert(SigningKeyEntity, key);
        return true;
      });
    }
    const placeholders = values.map(() => '?').join(', ');
    await this.repository.query(`INSERT INTO ${TABLE} (${COLUMNS}) SELECT ${placeholders} WHERE (SELECT COUNT(*) FROM ${TABLE}) = ?`, [...values, seen]);
    return (await this.repository.existsBy({ kid: key.kid }));
  }

  /**
   * Revokes a key: never published nor used again; its sealed private part is erased. Resolves the key as it is now,
   * or null when there is none; a key revoked before keeps its first revocation time.
   */
  async revoke(kid: string, now: number): Promise<SigningKeyEntity | null> {
    await this.repository.update({ kid, status: Not('revoked' as const) }, { status: 'revoked', revokedAt: now, privateJwkEncrypted: '' });
    return this.findOne(kid);
  }

  /**
   * Retires a live key: it never signs again and stays published until `retireAfter` (epoch ms), then the purge deletes
   * it. Resolves the key as it is now, or null when there is none; a revoked or already retired key is left as it is.
   */
  async retire(kid: string, retireAfter: number): Promise<SigningKeyEntity | null> {
    await this.repository.update({ kid, status: 'active' as const }, { status: 'retired', retireAfter });
    return this.findOne(kid);
  }

  /** Deletes the given keys; resolves how many went. */
  async delete(kids: readonly string[]): Promise<number> {
    if (kids.length === 0) return 0;
    return (await this.repository.delete({ kid: In([...kids]) })).affected ?? 0;
  }
}
