import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { RateLimitStore } from '../../persistence/stores/rate-limit.store.js';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../accounts/account.service.js';
import { requireAccountService } from '../accounts/active-account.js';

export type LoginOutcome =
  | { outcome: 'success'; account: Account }
  /** Wrong credentials, unknown or inactive account: one answer for all (no user enumeration). */
  | { outcome: 'invalid' }
  | { outcome: 'limited'; retryAfter: number };

/**
 * Checks a username and password through the host's `AccountService`, after counting the attempt per account
 * (`login:acct:` + SHA-256 of the username) and per client address in the database, so the limits hold across
 * instances and apply the same to unknown usernames. A success resets the account's counter. Neither the
 * username nor the password is ever logged or stored in clear.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly limits: RateLimitStore,
    private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  async attempt(username: string, password: string, address: string): Promise<LoginOutcome> {
    const { perAccount, perAddress } = this.options.loginRateLimit;
    const now = this.clock.now();
    const accountKey = `login:acct:${sha256Hex(username)}`;
    const byAddress = await this.limits.hit(`login:addr:${sha256Hex(address)}`, now, perAddress.window * 1000);
    const byAccount = await this.limits.hit(accountKey, now, perAccount.window * 1000);
    if (byAddress > perAddress.max) return { outcome: 'limited', retryAfter: perAddress.window };
    if (byAccount > perAccount.max) return { outcome: 'limited', retryAfter: perAccount.window };
    const account = await requireAccountService(this.accounts, 'users cannot log in').verifyCredentials(username, password);
    if (!account || account.active !== true) return { outcome: 'invalid' };
    await this.limits.reset(accountKey);
    return { outcome: 'success', account };
  }
}
