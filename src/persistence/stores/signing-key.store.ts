import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { SigningKeyEntity } from '../entities/signing-key.entity.js';

/** Signing keys (private parts encrypted). */
@Injectable()
export class SigningKeyStore {
  private readonly dataSource: DataSource;
  private readonly repository: Repository<SigningKeyEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.dataSource = handle.dataSource;
    this.repository = handle.dataSource.getRepository(SigningKeyEntity);
  }

  /** Every key still published, oldest first. */
  findPublished(): Promise<SigningKeyEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
  }

  /**
   * Inserts `key` unless an active key of its algorithm exists, atomically, so instances booting at once on an
   * empty table create one key between them (PostgreSQL: under a transaction advisory lock; SQLite: one
   * statement, which holds the database write lock).
   */
  async insertUnlessActive(key: SigningKeyEntity): Promise<void> {
    if (this.dataSource.options.type === 'postgres') {
      await this.dataSource.transaction(async (manager) => {
        await manager.query("SELECT pg_advisory_xact_lock(hashtext('authnest:signing-keys'))");
        if (!(await manager.existsBy(SigningKeyEntity, { status: 'active', alg: key.alg }))) await manager.insert(SigningKeyEntity, key);
      });
      return;
    }
    await this.repository.query(
      'INSERT INTO authnest_signing_keys (kid, alg, status, public_jwk, private_jwk_encrypted, created_at, retire_after) ' +
        "SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM authnest_signing_keys WHERE status = 'active' AND alg = ?)",
      [key.kid, key.alg, key.status, key.publicJwk, key.privateJwkEncrypted, key.createdAt, key.retireAfter, key.alg],
    );
  }
}
