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
  /**
   * Authentication context class reference of this login (`acr` of the ID token), when `verifyCredentials` knows one.
   * @default undefined
   */
  acr?: string;
  /**
   * Authentication methods of this login (`amr`, RFC 8176 values such as `pwd`, `otp`, `mfa`).
   * @default ['pwd'] for the builtin login page
   */
  amr?: string[];
}

/** What authnest asks `claimsFor` for, besides the granted scopes. */
export interface ClaimsRequestDetails {
  /**
   * The claim names authnest will release (from the scopes, OpenID Connect Core section 5.4, and the `claims`
   * request parameter, section 5.5). Whatever else `claimsFor` returns is dropped; returning more is harmless.
   */
  claims: readonly string[];
  /** Where the claims go. */
  target: 'id_token' | 'userinfo';
  /** The client that will receive them. */
  clientId: string;
  /** The `claims_locales` of the authorization request (preferred languages of the values), if any. */
  locales?: readonly string[];
}

/** The port through which authnest finds and checks users. Implement it in the host app. */
export interface AccountService {
  /** The account with this id, or undefined. */
  findById(id: string): Promise<Account | undefined>;
  /** The account when the credentials are right; undefined otherwise (same answer for unknown users). */
  verifyCredentials(username: string, password: string): Promise<Account | undefined>;
  /**
   * Claims about the account (OpenID Connect Core section 5.1: `name`, `email`, `address`, ...). authnest keeps only
   * `details.claims` of what is returned, never takes `sub` or protocol claims from it, and drops null values.
   */
  claimsFor(account: Account, scopes: readonly string[], details: ClaimsRequestDetails): Promise<Record<string, unknown>>;
}
