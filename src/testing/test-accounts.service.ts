import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account, AccountService } from '../server/accounts/account.service.js';
import type { TestAccountSeed } from './auth-testing-options.interface.js';

interface StoredAccount {
  sub: string;
  username: string;
  /** SHA-256 of the password (a test double: no slow KDF), or undefined when it cannot sign in. */
  passwordDigest?: Buffer;
  claims: Record<string, unknown>;
  active: boolean;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const NO_PASSWORD = digest('authnest-testing:no-password');

/**
 * The `AccountService` of `AuthTestingModule` (`accounts` option): fake users in memory. Passwords are compared in
 * constant time on their digests; an account without a password never signs in. Returns copies of the claims.
 */
export class TestAccounts implements AccountService {
  private readonly byUsername = new Map<string, StoredAccount>();
  private readonly bySub = new Map<string, StoredAccount>();

  constructor(seeds: readonly TestAccountSeed[]) {
    for (const [index, seed] of seeds.entries()) {
      if (typeof seed?.sub !== 'string' || seed.sub === '') throw new TypeError(`authnest/testing: accounts[${index}].sub must be a non-empty string`);
      const account: StoredAccount = {
        sub: seed.sub,
        username: seed.username ?? seed.sub,
        passwordDigest: seed.password === undefined ? undefined : digest(seed.password),
        claims: { ...(seed.claims ?? {}) },
        active: seed.active ?? true,
      };
      if (this.byUsername.has(account.username) || this.bySub.has(account.sub)) {
        throw new TypeError(`authnest/testing: accounts[${index}] repeats the sub or username of an earlier account`);
      }
      this.byUsername.set(account.username, account);
      this.bySub.set(account.sub, account);
    }
  }

  async findById(id: string): Promise<Account | undefined> {
    const account = this.bySub.get(id);
    return account && { id: account.sub, active: account.active };
  }

  async verifyCredentials(username: string, password: string): Promise<Account | undefined> {
    const account = this.byUsername.get(username);
    const matches = timingSafeEqual(digest(password), account?.passwordDigest ?? NO_PASSWORD);
    return account?.passwordDigest && matches ? { id: account.sub, active: account.active } : undefined;
  }

  async claimsFor(account: Account): Promise<Record<string, unknown>> {
    return { ...(this.bySub.get(account.id)?.claims ?? {}) };
  }
}
