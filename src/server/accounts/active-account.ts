import { ServerError } from '../../errors/oauth-errors.js';
import type { Account, AccountService } from './account.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

const logger = new AuthLogger();

/**
 * The host's `AccountService` at request time. Boot already refuses a seeded client with the authorization code
 * grant when none is provided (`AuthorizationIssuer`); a client added at runtime can still meet the gap, and then
 * nothing can be checked: fail closed with `server_error` (a server misconfiguration, not the client's fault),
 * logging `consequence`.
 */
export function requireAccountService(accounts: AccountService | undefined, consequence: string): AccountService {
  if (accounts) return accounts;
  logger.error(`No AccountService is provided under ACCOUNT_SERVICE: ${consequence}`);
  throw new ServerError();
}

/**
 * The account behind a grant when it still exists and is active, else undefined (the caller answers
 * `invalid_grant`). Without an `AccountService` under `ACCOUNT_SERVICE`: `server_error` (`requireAccountService`).
 */
export async function findActiveAccount(accounts: AccountService | undefined, accountId: string): Promise<Account | undefined> {
  const account = await requireAccountService(accounts, 'user grants cannot be redeemed').findById(accountId);
  return account?.active === true ? account : undefined;
}
