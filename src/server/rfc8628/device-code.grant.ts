import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { AccessDeniedError, AuthorizationPendingError, ExpiredTokenError, SlowDownError } from '../../errors/device-errors.js';
import { InvalidGrantError, InvalidRequestError } from '../../errors/oauth-errors.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import { AuthConfigError } from '../../options/auth-config.error.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import type { DeviceCodeEntity } from '../../persistence/entities/device-code.entity.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { DeviceCodeStore } from '../../persistence/stores/device-code.store.js';
import { RefreshTokenStore } from '../../persistence/stores/refresh-token.store.js';
import { RefreshTokenService } from '../../tokens/refresh-token.service.js';
import { TokenService } from '../../tokens/token.service.js';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import { deserializeRequestedClaims } from '../oidc/claims-request.js';
import { IdTokenService } from '../oidc/id-token.service.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from '../rfc6749/grants/grant-handler.js';
import { refreshTokenJkt } from '../rfc9449/refresh-binding.js';
import { requestedResources, ResourceIndicators, type AccessTokenTarget } from '../rfc8707/resource-indicators.service.js';
import { DEVICE_CODE_GRANT_TYPE, DeviceCodes } from './device-codes.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** Network jitter tolerated between two polls before one counts as too fast. */
const POLL_LEEWAY_MS = 500;

/**
 * Device access token request (RFC 8628 section 3.4, 3.5). The device code must be this client's and not redeemed
 * (`invalid_grant` otherwise); expired: `expired_token`; denied: `access_denied`; still pending: `authorization_pending`,
 * or `slow_down` when the device polled again sooner than its interval (which then grows by 5 seconds, for this and
 * every later poll). An approved code is redeemed once, by one atomic conditional update before any token is issued,
 * so of concurrent polls exactly one gets the tokens: an access token, a refresh token when the client has the
 * `refresh_token` grant, and an ID token when `openid` was granted. A replay is `invalid_grant` and revokes nothing
 * (concurrent polls of one device are not theft); a redemption whose tokens could not be stored is undone. The device
 * is not the browser the user approved from: its tokens belong to no login session (no `sid`; a logout there does
 * not end them).
 */
@Injectable()
@OAuthGrant()
export class DeviceCodeGrant implements GrantHandler, OnModuleInit {
  readonly grantType = DEVICE_CODE_GRANT_TYPE;
  readonly parameters = ['device_code', 'resource'] as const;
  readonly allowsPublicClients = true;
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly devices: DeviceCodes,
    private readonly store: DeviceCodeStore,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly idTokens: IdTokenService,
    private readonly accessTokens: AccessTokenStore,
    private readonly refreshTokenRows: RefreshTokenStore,
    private readonly clock: Clock,
    private readonly resourceIndicators: ResourceIndicators,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  /** A seeded client with the device grant needs users to approve its requests. */
  onModuleInit(): void {
    if (this.accounts) return;
    const problems = this.options.clients.flatMap((client, index) =>
      client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)
        ? [`clients[${index}].grantTypes: '${DEVICE_CODE_GRANT_TYPE}' needs an AccountService: provide one under ACCOUNT_SERVICE in a module AuthModule can see`]
        : [],
    );
    if (problems.length > 0) throw new AuthConfigError(problems);
  }

  async handle({ client, authMethod, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    if (params.device_code === undefined) throw new InvalidRequestError('The device_code parameter is missing');
    const row = await this.devices.findByDeviceCode(params.device_code);
    if (!row || row.clientId !== client.clientId || row.consumedAt !== null) throw new InvalidGrantError('The device code is invalid');
    const now = this.clock.now();
    if (row.expiresAt <= now) throw new ExpiredTokenError();
    if (row.status === 'denied') throw new AccessDeniedError();
    if (row.status === 'pending') {
      if (!(await this.store.recordPoll(row.id, now, POLL_LEEWAY_MS))) throw new SlowDownError();
      throw new AuthorizationPendingError();
    }
    const account = row.accountId === null ? undefined : await findActiveAccount(this.accounts, row.accountId);
    if (!account) throw new InvalidGrantError('The device code is invalid');
    // RFC 8707 section 2.2: one of the request's resources (else invalid_target before the code is used), or its only one.
    const target = this.resourceIndicators.accessTokenTarget(client, requestedResources(params), row.scopes, { grantResources: row.resources });
    if (!(await this.store.consume(row.id, now))) throw new InvalidGrantError('The device code is invalid');
    try {
      return await this.issueTokens(client, row, account, dpopJkt, refreshTokenJkt(authMethod, dpopJkt), target);
    } catch (error) {
      await this.release(row, now);
      throw error;
    }
  }

  /**
   * The tokens could not all be stored (fault invariant FL1): whatever was stored is revoked first (it was never sent;
   * a table that failed holds nothing to revoke), then the code is redeemable again, once. If the storage cannot even
   * do that, the code stays used, with no tokens.
   */
  private async release(row: DeviceCodeEntity, consumedAt: number): Promise<void> {
    const now = this.clock.now();
    await this.accessTokens.revokeGrant(row.id, now).catch(() => 0);
    await this.refreshTokenRows.revokeGrant(row.id, now).catch(() => 0);
    try {
      await this.store.release(row.id, consumedAt);
    } catch {
      this.logger.error('A device code stays used after a failed redemption: the storage is unavailable');
    }
  }

  private async issueTokens(client: ClientEntity, row: DeviceCodeEntity, account: Account, jkt: string | undefined, refreshJkt: string | undefined, target: AccessTokenTarget): Promise<TokenResponse> {
    const { scopes, acr, amr } = row;
    const authTime = row.authTime ?? row.decidedAt ?? this.clock.now();
    const issued = await this.tokens.issueAccessToken({ client, subject: account.id, ...target, grantId: row.id, jkt });
    const response: TokenResponse = { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn };
    if (client.grantTypes.includes('refresh_token')) {
      response.refresh_token = await this.refreshTokens.issue({ clientId: client.clientId, accountId: account.id, scopes, authTime, grantId: row.id, acr, amr, jkt: refreshJkt, resources: row.resources });
    }
    if (target.scopes.length > 0) response.scope = formatScope(target.scopes);
    if (scopes.includes('openid')) {
      response.id_token = await this.idTokens.issue({
        client,
        account,
        scopes,
        authTime,
        accessToken: issued.accessToken,
        acr,
        amr,
        requested: deserializeRequestedClaims(null),
      });
    }
    return response;
  }
}
