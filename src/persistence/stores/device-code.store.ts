import { Inject, Injectable } from '@nestjs/common';
import { IsNull, LessThan, MoreThan, type Repository } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../auth.tokens.js';
import type { AuthDataSource } from '../auth-data-source.js';
import { DeviceCodeEntity } from '../entities/device-code.entity.js';

/** The user's answer to a device authorization request. */
export type DeviceDecision =
  | { status: 'approved'; accountId: string; authTime: number; acr: string | null; amr: string[]; scopes: string[] }
  | { status: 'denied' };

/**
 * Device authorization requests by hash of either code. Every change of state is one atomic conditional update:
 * a decision only while pending and unexpired, a redemption only once (undone only by the redeemer whose tokens
 * could not be stored), a poll's timing against the last poll.
 */
@Injectable()
export class DeviceCodeStore {
  private readonly repository: Repository<DeviceCodeEntity>;

  constructor(@Inject(AUTH_DATA_SOURCE) handle: AuthDataSource) {
    this.repository = handle.dataSource.getRepository(DeviceCodeEntity);
  }

  async insert(row: DeviceCodeEntity): Promise<void> {
    await this.repository.insert(row);
  }

  findByDeviceCodeHash(deviceCodeHash: string): Promise<DeviceCodeEntity | null> {
    return this.repository.findOneBy({ deviceCodeHash });
  }

  findByUserCodeHash(userCodeHash: string): Promise<DeviceCodeEntity | null> {
    return this.repository.findOneBy({ userCodeHash });
  }

  /**
   * Records a poll at `now`. Resolves true when the last poll was at least the row's interval ago (less `leewayMs`)
   * or there was none; otherwise the poll is too fast: the interval grows by 5 seconds and it resolves false.
   */
  async recordPoll(id: string, now: number, leewayMs: number): Promise<boolean> {
    const onTime = await this.repository
      .createQueryBuilder()
      .update(DeviceCodeEntity)
      .set({ lastPolledAt: now })
      .where('id = :id', { id })
      .andWhere('(last_polled_at IS NULL OR last_polled_at + poll_interval * 1000 <= :limit)', { limit: now + leewayMs })
      .execute();
    if (onTime.affected === 1) return true;
    await this.repository
      .createQueryBuilder()
      .update(DeviceCodeEntity)
      .set({ lastPolledAt: now, pollInterval: () => 'poll_interval + 5' })
      .where('id = :id', { id })
      .execute();
    return false;
  }

  /** Records the user's decision; false when the request was already decided or expired. */
  async decide(id: string, now: number, decision: DeviceDecision): Promise<boolean> {
    const changes: Partial<DeviceCodeEntity> =
      decision.status === 'approved'
        ? { status: 'approved', accountId: decision.accountId, authTime: decision.authTime, acr: decision.acr, amr: decision.amr, scopes: decision.scopes, decidedAt: now }
        : { status: 'denied', decidedAt: now };
    const result = await this.repository.update({ id, status: 'pending', expiresAt: MoreThan(now) }, changes);
    return result.affected === 1;
  }

  /** Marks an approved request redeemed; false when it already was (a replay or a concurrent poll that lost). */
  async consume(id: string, now: number): Promise<boolean> {
    const result = await this.repository.update({ id, status: 'approved', consumedAt: IsNull(), expiresAt: MoreThan(now) }, { consumedAt: now });
    return result.affected === 1;
  }

  /** Undoes `consume` made at `consumedAt` (the tokens could not be stored): the device may poll again. */
  async release(id: string, consumedAt: number): Promise<void> {
    await this.repository.update({ id, consumedAt }, { consumedAt: null });
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.repository.delete({ expiresAt: LessThan(before) })).affected ?? 0;
  }
}
