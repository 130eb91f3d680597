import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { RefreshTokenStore } from '../../persistence/stores/refresh-token.store.js';

/** Why a grant is being revoked (logged, never with token values). */
export type GrantRevocationReason = 'code_replay' | 'refresh_reuse' | 'revocation_request' | 'account_inactive' | 'client_inactive' | 'logout';

/**
 * Revokes everything issued from one grant (an authorization code and its refresh-token family): every
 * refresh token of the family and every access token with that grant id. JWT access tokens stay
 * cryptographically valid until their short `exp` at resource servers that verify locally; introspection
 * reports them inactive at once.
 */
@Injectable()
export class GrantRevocationService {
  private readonly logger = new Logger('authnest');

  constructor(
    private readonly accessTokens: AccessTokenStore,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly clock: Clock,
  ) {}

  /** Revokes the grant's refresh and access tokens in one transaction: never one kind without the other. */
  async revokeGrant(grantId: string, reason: GrantRevocationReason): Promise<void> {
    const { refresh, access } = await this.refreshTokens.revokeGrantWithAccessTokens(grantId, this.clock.now());
    this.logger.warn(`Grant revoked (${reason}): ${refresh} refresh and ${access} access tokens`);
  }

  /**
   * At logout: revokes every grant made in the login session `sid` except those with `offline_access` (OpenID
   * Connect Core section 11: offline access outlives the session), refresh and access tokens alike.
   */
  async revokeSession(sid: string): Promise<void> {
    const now = this.clock.now();
    const offline = (await this.refreshTokens.grantsOfSession(sid)).filter((grant) => grant.scopes.includes('offline_access')).map((grant) => grant.grantId);
    const keep = [...new Set(offline)];
    const refresh = await this.refreshTokens.revokeSession(sid, keep, now);
    const access = await this.accessTokens.revokeSession(sid, keep, now);
    if (refresh + access > 0) this.logger.log(`Session grants revoked (logout): ${refresh} refresh and ${access} access tokens`);
  }
}
