import { Inject, Injectable } from '@nestjs/common';
import { IsNull, LessThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { InteractionEntity } from '../entities/interaction.entity.js';

/** Pending login/consent interactions by SHA-256 hash of their id. */
@Injectable()
export class InteractionStore {
  private readonly repository: Repository<InteractionEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(InteractionEntity);
  }

  async insert(interaction: InteractionEntity): Promise<void> {
    await this.repository.insert(interaction);
  }

  findByHash(idHash: string): Promise<InteractionEntity | null> {
    return this.repository.findOneBy({ idHash });
  }

  /** Records who logged in during the interaction. */
  async setAccount(idHash: string, accountId: string, authTime: number): Promise<void> {
    await this.repository.update({ idHash, completedAt: IsNull() }, { accountId, authTime });
  }

  /** Replaces the stored request state (e.g. the consent decision) while the interaction is pending. */
  async updateRequest(idHash: string, request: string): Promise<boolean> {
    return (await this.repository.update({ idHash, completedAt: IsNull() }, { request })).affected === 1;
  }

  /** Completes the interaction; resolves false when it was already completed (double submit, replay). */
  async complete(idHash: string, now: number): Promise<boolean> {
    return (await this.repository.update({ idHash, completedAt: IsNull() }, { completedAt: now })).affected === 1;
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
