import { Global, Injectable, Module } from '@nestjs/common';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { ACCOUNT_SERVICE, type Account, type AccountService, type ClaimsRequestDetails } from '../../src/index.js';

interface StoredUser {
  id: string;
  salt: Buffer;
  hash: Buffer;
  active: boolean;
  claims: Record<string, unknown>;
}

/** Alice's claims: one of every standard group (OpenID Connect Core section 5.1), and one that no scope releases. */
export const ALICE_CLAIMS: Record<string, unknown> = {
  name: 'Alice Example',
  given_name: 'Alice',
  family_name: 'Example',
  preferred_username: 'alice',
  locale: 'en-GB',
  updated_at: 1_700_000_000,
  email: 'alice@example.com',
  email_verified: true,
  address: { street_address: '1 Main St', locality: 'Springfield', postal_code: '12345', country: 'US' },
  phone_number: '+1 555 0100',
  phone_number_verified: false,
  internal_note: 'never released',
  sub: 'not-the-sub',
  iss: 'https://evil.example',
};

/** What `add` may say about a new account beyond its id. */
export interface TestAccountOptions {
  /** @default the id */
  username?: string;
  /** @default `${id}-password` */
  password?: string;
  /** @default true */
  active?: boolean;
  /** OpenID Connect claims about the user (`name`, `email`, ...). @default {} */
  claims?: Record<string, unknown>;
}

/** Small scrypt cost: this is a test double of the host's port, not of authnest. */
function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
}

const DUMMY_SALT = randomBytes(16);
const DUMMY_HASH = hashPassword('dummy-password', DUMMY_SALT);

/**
 * The host app's `AccountService` in tests: users in memory with scrypt-hashed passwords; unknown users cost
 * the same hash. Starts with alice, bob and (inactive) carol, as `user-alice` etc. with password
 * `alice-password` etc.; tests add, deactivate and remove accounts at will. Counts `verifyCredentials` calls so
 * tests can see when authnest stopped before asking; the username `explode` makes it fail like a broken user
 * database.
 */
@Injectable()
export class InMemoryAccountService implements AccountService {
  /** By username (unique): adding a username again replaces its account. */
  private readonly users = new Map<string, StoredUser>();
  verifyCalls = 0;

  constructor() {
    this.add('user-alice', { username: 'alice', password: 'alice-password', claims: ALICE_CLAIMS });
    this.add('user-bob', { username: 'bob', password: 'bob-password', claims: { name: 'Bob', email: 'bob@example.com', email_verified: false } });
    this.add('user-carol', { username: 'carol', password: 'carol-password', active: false });
  }

  add(id: string, { username = id, password = `${id}-password`, active = true, claims = {} }: TestAccountOptions = {}): void {
    const salt = randomBytes(16);
    this.users.set(username, { id, salt, hash: hashPassword(password, salt), active, claims });
  }

  setActive(id: string, active: boolean): void {
    for (const user of this.users.values()) if (user.id === id) user.active = active;
  }

  remove(id: string): void {
    for (const [username, user] of this.users) if (user.id === id) this.users.delete(username);
  }

  async findById(id: string): Promise<Account | undefined> {
    const user = [...this.users.values()].find((candidate) => candidate.id === id);
    return user ? { id: user.id, active: user.active } : undefined;
  }

  async verifyCredentials(username: string, password: string): Promise<Account | undefined> {
    this.verifyCalls += 1;
    if (username === 'explode') throw new Error('database down: secret-internal-detail');
    const user = this.users.get(username);
    const ok = timingSafeEqual(hashPassword(password, user?.salt ?? DUMMY_SALT), user?.hash ?? DUMMY_HASH);
    return user && ok ? { id: user.id, active: user.active } : undefined;
  }

  /** The last `claimsFor` calls' details, so tests can see what authnest asked for. */
  readonly claimsRequests: ClaimsRequestDetails[] = [];

  /** Returns every claim the user has (and a wrong `sub`): authnest must keep only what it may release. */
  async claimsFor(account: Account, _scopes: readonly string[], details: ClaimsRequestDetails): Promise<Record<string, unknown>> {
    this.claimsRequests.push(details);
    const user = [...this.users.values()].find((candidate) => candidate.id === account.id);
    return { ...(user?.claims ?? {}), sub: 'not-the-sub' };
  }
}

/** Import it in a test app (`imports: [TestAccountsModule]`): global, so AuthModule sees ACCOUNT_SERVICE, as a host app would provide it. */
@Global()
@Module({
  providers: [InMemoryAccountService, { provide: ACCOUNT_SERVICE, useExisting: InMemoryAccountService }],
  exports: [ACCOUNT_SERVICE, InMemoryAccountService],
})
export class TestAccountsModule {}
