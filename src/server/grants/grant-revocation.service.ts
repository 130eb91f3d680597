import { Injectable } from '@nestjs/common';
import { AUTH_EVENTS, type AuthEventInput, type TokenRevokedEvent } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { RefreshTokenStore } from '../../persistence/stores/refresh-token.store.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** Why a grant is being revoked (logged, never with token values). */
export type GrantRevocationReason = 'code_replay' | 'refresh_reuse' | 'revocation_request' | 'account_inactive' | 'client_inactive' | 'logout';

/** Whose grant it is, for the events (`authnest.token.revoked`, `authnest.token.refresh_reuse_detected`). */
export interface GrantOwnership {
  clientId: string;
  /** The resource owner (the account of the code or refresh token). */
  subject: string;
}

/** The reason an event gives for each revocation reason (none: not reported as a token revocation). */
const EVENT_REASONS: Record<GrantRevocationReason, TokenRevokedEvent['reason'] | undefined> = {
  code_replay: 'code-replay',
  refresh_reuse: 'refresh-reuse',
  revocation_request: 'revocation-endpoint',
  account_inactive: 'account-inactive',
  client_inactive: undefined,
  logout: 'logout',
};

/**
 * Revokes everything issued from one grant (an authorization code and its refresh-token family): every
 * refresh token of the family and every access token with that grant id. JWT access tokens stay
 * cryptographically valid until their short `exp` at resource servers that verify locally; introspection
 * reports them inactive at once.
 */
@Injectable()
export class GrantRevocationService {
  private readonly logger = new AuthLogger();

  constructor(
    private readonly accessTokens: AccessTokenStore,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {}

  /**
   * Revokes the grant's refresh and access tokens in one transaction: never one kind without the other. With `owner`,
   * reports it: `authnest.token.refresh_reuse_detected` for a reuse, and `authnest.token.revoked` when tokens went.
   */
  async revokeGrant(grantId: string, reason: GrantRevocationReason, owner?: GrantOwnership): Promise<void> {
    const { refresh, access } = await this.refreshTokens.revokeGrantWithAccessTokens(grantId, this.clock.now());
    this.logger.warn(`Grant revoked (${reason}): ${refresh} refresh and ${access} access tokens`);
    if (!owner) return;
    if (reason === 'refresh_reuse') this.events.emit(AUTH_EVENTS.refreshReuseDetected, { clientId: owner.clientId, subject: owner.subject });
    const eventReason = EVENT_REASONS[reason];
    if (eventReason && refresh + access > 0) {
      this.events.emit(AUTH_EVENTS.tokenRevoked, { ...owner, tokenType: refresh > 0 ? 'refresh_token' : 'access_token', reason: eventReason });
    }
  }

  /**
   * At logout: revokes every grant made in the login session `sid` except those with `offline_access` (OpenID
   * Connect Core section 11: offline access outlives the session), refresh and access tokens alike.
   */
  async revokeSession(sid: string): Promise<void> {
    const now = this.clock.now();
    const offline = (await this.refreshTokens.grantsOfSession(sid)).filter((grant) => grant.scopes.includes('offline_access')).map((grant) => grant.grantId);
    const keep = [...new Set(offline)];
    // Read before the update (only when someone listens): what the update is about to revoke, token by token.
    const reported = this.events.wants(AUTH_EVENTS.tokenRevoked) ? await this.liveTokensOfSession(sid, keep) : [];
    const refresh = await this.refreshTokens.revokeSession(sid, keep, now);
    const access = await this.accessTokens.revokeSession(sid, keep, now);
    if (refresh + access > 0) this.logger.log(`Session grants revoked (logout): ${refresh} refresh and ${access} access tokens`);
    for (const event of reported) this.events.emit(AUTH_EVENTS.tokenRevoked, event);
  }

  /** One event per live refresh-token family and per live access token of the session outside `keep`. */
  private async liveTokensOfSession(sid: string, keep: readonly string[]): Promise<AuthEventInput<typeof AUTH_EVENTS.tokenRevoked>[]> {
    const families = await this.refreshTokens.liveOfSession(sid, keep);
    const accessTokens = await this.accessTokens.liveOfSession(sid, keep);
    return [
      ...families.map(({ clientId, accountId }) => ({ clientId, subject: accountId, tokenType: 'refresh_token' as const, reason: 'logout' as const })),
      ...accessTokens.map(({ id, clientId, subject }) => ({ clientId, subject, tokenType: 'access_token' as const, tokenId: id, reason: 'logout' as const })),
    ];
  }
}
