import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../accounts/account.service.js';
import { requireAccountService } from '../accounts/active-account.js';
import type { RequestedClaims } from './claims-request.js';
import { claimsOfScopes, PROTOCOL_CLAIMS, releasableClaims } from './standard-claims.js';

/** Who gets the claims, and what was granted. */
export interface ClaimsRelease {
  account: Account;
  clientId: string;
  scopes: readonly string[];
  requested: RequestedClaims;
  locales?: readonly string[];
}

/**
 * Which user claims go where (OpenID Connect Core sections 5.4 and 5.5): UserInfo releases the claims of the granted
 * scopes plus those the `claims` parameter asked for UserInfo; the ID token carries those asked for the ID token
 * (and the scope claims too with `oidc.scopeClaimsInIdToken`). Nothing without the `openid` scope. The values come
 * from the host's `AccountService`, filtered to exactly these names.
 */
@Injectable()
export class UserClaims {
  readonly supported: ReadonlySet<string>;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {
    this.supported = new Set(releasableClaims(options.oidc.scopeClaims));
  }

  forUserInfo(release: ClaimsRelease): Promise<Record<string, unknown>> {
    const names = [...claimsOfScopes(release.scopes, this.options.oidc.scopeClaims), ...release.requested.userinfo];
    return this.release(release, names, 'userinfo');
  }

  forIdToken(release: ClaimsRelease): Promise<Record<string, unknown>> {
    const fromScopes = this.options.oidc.scopeClaimsInIdToken ? claimsOfScopes(release.scopes, this.options.oidc.scopeClaims) : [];
    return this.release(release, [...fromScopes, ...release.requested.idToken], 'id_token');
  }

  private async release(release: ClaimsRelease, wanted: string[], target: 'id_token' | 'userinfo'): Promise<Record<string, unknown>> {
    if (!release.scopes.includes('openid')) return {};
    const names = [...new Set(wanted)].filter((name) => this.supported.has(name) && !PROTOCOL_CLAIMS.has(name));
    if (names.length === 0) return {};
    const accounts = requireAccountService(this.accounts, 'claims cannot be released');
    const locales = release.locales ?? release.requested.locales;
    const details = { claims: names, target, clientId: release.clientId, ...(locales ? { locales } : {}) };
    const values = await accounts.claimsFor(release.account, release.scopes, details);
    const released: Record<string, unknown> = {};
    for (const name of names) {
      const value: unknown = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
      if (value !== undefined && value !== null) released[name] = value;
    }
    return released;
  }
}
