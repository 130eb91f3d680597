import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { RefreshTokenStore } from '../../persistence/stores/refresh-token.store.js';

/** Why a grant is being revoked (logged, never with token values). */
export type GrantRevocationReason = 'code_replay' | 'refresh_reuse' | 'revocation_request' | 'account_inactive' | 'client_inactive';

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

  async revokeGrant(grantId: string, reason: GrantRevocationReason): Promise<void> {
    const now = this.clock.now();
    const refresh = await this.refreshTokens.revokeGrant(grantId, now);
    const access = await this.accessTokens.revokeGrant(grantId, now);
    this.logger.warn(`Grant revoked (${reason}): ${refresh} refresh and ${access} access tokens`);
  }
}
