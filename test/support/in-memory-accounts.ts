import { Global, Injectable, Module } from '@nestjs/common';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../../src/index.js';

/** A host app's AccountService kept in memory; tests add, deactivate and remove accounts at will. */
@Injectable()
export class InMemoryAccounts implements AccountService {
  private readonly accounts = new Map<string, Account & { username: string; password: string }>();

  add(id: string, { username = id, password = `${id}-password`, active = true } = {}): void {
    this.accounts.set(id, { id, username, password, active });
  }

  setActive(id: string, active: boolean): void {
    const account = this.accounts.get(id);
    if (account) account.active = active;
  }

  remove(id: string): void {
    this.accounts.delete(id);
  }

  async findById(id: string): Promise<Account | undefined> {
    const account = this.accounts.get(id);
    return account ? { id: account.id, active: account.active } : undefined;
  }

  async verifyCredentials(username: string, password: string): Promise<Account | undefined> {
    const account = [...this.accounts.values()].find((candidate) => candidate.username === username);
    return account && account.password === password ? { id: account.id, active: account.active } : undefined;
  }

  async claimsFor(account: Account): Promise<Record<string, unknown>> {
    return { sub: account.id };
  }
}

/** Import it in a test app (`imports: [InMemoryAccountsModule]`): global, so AuthModule sees ACCOUNT_SERVICE. */
@Global()
@Module({
  providers: [InMemoryAccounts, { provide: ACCOUNT_SERVICE, useExisting: InMemoryAccounts }],
  exports: [InMemoryAccounts, ACCOUNT_SERVICE],
})
export class InMemoryAccountsModule {}
