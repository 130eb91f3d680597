import { Inject, Injectable, Optional } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { AccessTokenEntity } from '../../persistence/entities/access-token.entity.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import type { AccessTokenInfo } from '../../tokens/access-token-info.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import { deserializeRequestedClaims } from './claims-request.js';
import { SubjectIdentifiers } from './subject-identifier.service.js';
import { UserClaims } from './user-claims.service.js';

/**
 * What UserInfo answers for an access token (OpenID Connect Core section 5.3.2): `sub` as the client sees it
 * (public or pairwise) and the claims the token's scopes and `claims` request release. Host controllers use it
 * to answer with the user's claims: `userInfo.claimsFor(token)` with the `@CurrentToken()` of an `openid` token.
 */
@Injectable()
export class UserInfoService {
  constructor(
    private readonly accessTokens: AccessTokenStore,
    private readonly clients: ClientStore,
    private readonly subjects: SubjectIdentifiers,
    private readonly claims: UserClaims,
    private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  /**
   * The claims for a verified access token of this server; undefined when it has no `openid` scope, is revoked or
   * expired, or its client or account is gone or disabled.
   */
  async claimsFor(token: AccessTokenInfo): Promise<Record<string, unknown> | undefined> {
    const row = await this.accessTokens.findById(token.jti);
    if (!row || row.revokedAt !== null || row.expiresAt <= this.clock.now()) return undefined;
    return this.claimsOfRow(row);
  }

  /** The answer for a stored access token (already checked to be live and authentic). */
  async claimsOfRow(row: AccessTokenEntity): Promise<Record<string, unknown> | undefined> {
    if (!row.scopes.includes('openid')) return undefined;
    const client = await this.clients.findById(row.clientId);
    const account = client && !client.disabled ? await findActiveAccount(this.accounts, row.subject) : undefined;
    if (!client || !account) return undefined;
    const released = await this.claims.forUserInfo({ account, clientId: client.clientId, scopes: row.scopes, requested: deserializeRequestedClaims(row.claims) });
    return { sub: this.subjects.subjectFor(account.id, client), ...released };
  }
}
