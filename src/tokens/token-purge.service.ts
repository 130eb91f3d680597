import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { Clock } from '../internal/clock.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';
import { AuthorizationCodeStore } from '../persistence/stores/authorization-code.store.js';
import { DeviceCodeStore } from '../persistence/stores/device-code.store.js';
import { InteractionStore } from '../persistence/stores/interaction.store.js';
import { NonceStore } from '../persistence/stores/nonce.store.js';
import { PushedRequestStore } from '../persistence/stores/pushed-request.store.js';
import { RateLimitStore } from '../persistence/stores/rate-limit.store.js';
import { RefreshTokenStore } from '../persistence/stores/refresh-token.store.js';
import { SessionClientStore } from '../persistence/stores/session-client.store.js';
import { SessionStore } from '../persistence/stores/session.store.js';
import { SigningKeys } from './signing-keys.service.js';
import { AuthLogger } from '../internal/auth-logger.js';

/**
 * Deletes expired access tokens (both formats), authorization codes, device codes, pushed authorization requests, refresh tokens, interactions, login
 * sessions (and their client lists), remembered nonces, and login rate-limit counters whose window started more than the longest configured window
 * (`loginRateLimit`, `deviceFlow.userCodeRateLimit`) ago, on a timer (`purgeInterval`) or on demand. Only rows past their own expiry go: a refresh
 * token past its idle expiry could never be used again (signing keys: retired ones, and revoked ones once their tokens expired), and revoked or rotated ones stay until then so reuse is
 * still recognised; a counter goes only once no window can still count it. Audit rows go once older than `audit.retention`.
 */
@Injectable()
export class TokenPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AuthLogger();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly accessTokens: AccessTokenStore,
    private readonly codes: AuthorizationCodeStore,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly interactions: InteractionStore,
    private readonly sessions: SessionStore,
    private readonly rateLimits: RateLimitStore,
    private readonly nonces: NonceStore,
    private readonly sessionClients: SessionClientStore,
    private readonly deviceCodes: DeviceCodeStore,
    private readonly pushedRequests: PushedRequestStore,
    private readonly signingKeys: SigningKeys,
    private readonly clock: Clock,
    private readonly auditTrail: AuditTrail,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.purgeInterval === 0) return;
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.logger.error(`Token purge failed: ${(error as Error).name}`));
    }, this.options.purgeInterval * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes every token, code, interaction, session and rate-limit window that expired before now; resolves how many rows went. */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const { perAccount, perAddress } = this.options.loginRateLimit;
    const { perBrowser, perAddress: devicePerAddress } = this.options.deviceFlow.userCodeRateLimit;
    const registrationWindow = this.options.registration.rateLimit.window;
    const longestWindow = Math.max(perAccount.window, perAddress.window, perBrowser.window, devicePerAddress.window, registrationWindow) * 1000;
    const deleted = [
      await this.accessTokens.deleteExpired(now),
      await this.codes.deleteExpired(now),
      await this.refreshTokens.deleteExpired(now),
      await this.interactions.deleteExpired(now),
      await this.sessions.deleteExpired(now),
      await this.rateLimits.deleteStale(now - longestWindow),
      await this.nonces.deleteExpired(now),
      await this.sessionClients.deleteExpired(now),
      await this.deviceCodes.deleteExpired(now),
      await this.pushedRequests.deleteExpired(now),
      await this.signingKeys.purge(),
      await this.auditTrail.purge(),
    ];
    return deleted.reduce((sum, count) => sum + count, 0);
  }
}
