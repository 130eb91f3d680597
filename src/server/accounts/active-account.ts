import { Logger } from '@nestjs/common';
import { ServerError } from '../../errors/oauth-errors.js';
import type { Account, AccountService } from './account.service.js';

const logger = new Logger('authnest');

/**
 * The account behind a grant when it still exists and is active, else undefined (the caller answers
 * `invalid_grant`). Without an `AccountService` under `ACCOUNT_SERVICE` nothing can be checked: fail closed
 * with `server_error` (a server misconfiguration, not the client's fault).
 */
export async function findActiveAccount(accounts: AccountService | undefined, accountId: string): Promise<Account | undefined> {
  if (!accounts) {
    logger.error('No AccountService is provided under ACCOUNT_SERVICE: user grants cannot be redeemed');
    throw new ServerError();
  }
  const account = await accounts.findById(accountId);
  return account?.active === true ? account : undefined;
}
