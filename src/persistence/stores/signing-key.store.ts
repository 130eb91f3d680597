import { Inject, Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { SigningKeyEntity } from '../entities/signing-key.entity.js';

/** Signing keys (private parts encrypted). */
@Injectable()
export class SigningKeyStore {
  private readonly repository: Repository<SigningKeyEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(SigningKeyEntity);
  }

  /** Every key still published, oldest first. */
  findPublished(): Promise<SigningKeyEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
  }

  async insert(key: SigningKeyEntity): Promise<void> {
    await this.repository.insert(key);
  }
}
