/**
 * DI token of the host app's `AccountService`: provide it in a module AuthModule can see
 * (a global module, or `imports` of `forRootAsync`). Used by the login and consent flows.
 */
export const ACCOUNT_SERVICE = Symbol('authnest:account-service');

/** An end user as authnest needs to know them. */
export interface Account {
  /** Stable subject identifier (`sub`). */
  id: string;
  /** Whether the account may log in and keep using tokens. */
  active: boolean;
}

/** The port through which authnest finds and checks users. Implement it in the host app. */
export interface AccountService {
  /** The account with this id, or undefined. */
  findById(id: string): Promise<Account | undefined>;
  /** The account when the credentials are right; undefined otherwise (same answer for unknown users). */
  verifyCredentials(username: string, password: string): Promise<Account | undefined>;
  /** Claims about the account released for the granted scopes (OpenID Connect). */
  claimsFor(account: Account, scopes: readonly string[]): Promise<Record<string, unknown>>;
}
