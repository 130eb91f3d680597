import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { hashClientSecret, verifyClientSecret, type Account, type AccountService } from 'authnest';
import { DataSource, type Repository } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** DEMO ONLY: the user the sample seeds. */
export const DEMO_USER = { id: 'user-alice', username: 'alice', password: 'alice-password', name: 'Alice Example', email: 'alice@example.com' };

/**
 * The sample's `AccountService`: users in the sample's own table, passwords hashed with scrypt
 * (authnest's helper; any slow KDF works). Seeds the demo user at boot.
 */
@Injectable()
export class SampleAccountService implements AccountService, OnApplicationBootstrap {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.existsBy({ id: DEMO_USER.id })) return;
    const { password, ...user } = DEMO_USER;
    // Instances booting at once may all get here: the first insert wins, the others change nothing.
    const row = { ...user, passwordHash: await hashClientSecret(password), active: true };
    await this.users.createQueryBuilder().insert().values(row).orIgnore().execute();
  }

  async findById(id: string): Promise<Account | undefined> {
    const user = await this.users.findOneBy({ id });
    return user ? { id: user.id, active: user.active } : undefined;
  }

  async verifyCredentials(username: string, password: string): Promise<Account | undefined> {
    const user = await this.users.findOneBy({ username });
    const ok = user ? await verifyClientSecret(password, user.passwordHash) : false;
    return user && ok && user.active ? { id: user.id, active: true } : undefined;
  }

  /** Everything the sample knows about the user: authnest releases only what the granted scopes allow. */
  async claimsFor(account: Account): Promise<Record<string, unknown>> {
    const user = await this.users.findOneBy({ id: account.id });
    if (!user) return {};
    return { name: user.name, preferred_username: user.username, email: user.email, email_verified: true };
  }
}
