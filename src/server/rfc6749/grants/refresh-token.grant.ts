import { Inject, Injectable, Optional } from '@nestjs/common';
import { InvalidGrantError, InvalidRequestError, InvalidScopeError } from '../../../errors/oauth-errors.js';
import { formatScope, parseScope } from '../../../internal/scope.js';
import type { ClientEntity } from '../../../persistence/entities/client.entity.js';
import type { RefreshTokenEntity } from '../../../persistence/entities/refresh-token.entity.js';
import { RefreshTokenService } from '../../../tokens/refresh-token.service.js';
import { TokenService } from '../../../tokens/token.service.js';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../../accounts/account.service.js';
import { findActiveAccount } from '../../accounts/active-account.js';
import { GrantRevocationService } from '../../grants/grant-revocation.service.js';
import { deserializeRequestedClaims } from '../../oidc/claims-request.js';
import { IdTokenService } from '../../oidc/id-token.service.js';
import { requestedResources, ResourceIndicators, type AccessTokenTarget } from '../../rfc8707/resource-indicators.service.js';
import { checkRefreshTokenBinding } from '../../rfc9449/refresh-binding.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from './grant-handler.js';

/**
 * The scopes of the new access token (RFC 6749 section 6): the grant's scopes, or the subset the request names
 * (broader: `invalid_scope`), reduced to what the client may still have. The refresh token keeps the grant's.
 */
function accessTokenScopes(requested: string | undefined, row: RefreshTokenEntity, client: ClientEntity): string[] {
  let scopes = row.scopes;
  if (requested !== undefined) {
    const parsed = parseScope(requested);
    if (!parsed) throw new InvalidScopeError('The scope parameter is malformed');
    if (parsed.some((scope) => !row.scopes.includes(scope))) throw new InvalidScopeError('The requested scope exceeds the grant');
    scopes = parsed;
  }
  return scopes.filter((scope) => client.scopes.includes(scope));
}

/**
 * Refresh token grant (RFC 6749 section 6, OAuth 2.1 section 4.3, RFC 9700 section 4.14.2). The token must be
 * this client's, unexpired (idle and absolute) and not revoked, and its account still active (else the family
 * is revoked). Every use rotates it.
 *
 * Order of work: new tokens are stored first, then the presented token is rotated with one atomic conditional
 * update. The request that rotates it answers 200. A rotated token presented again within
 * `refreshToken.reuseGrace` seconds of its rotation (a retry, a second tab, a concurrent request that lost the
 * race) also gets fresh tokens in the same family, without revoking anything: the window is bounded in time,
 * not in count. Outside the window (and always when `reuseGrace` is 0) reuse revokes the whole family, so with
 * no grace N concurrent refreshes of one token give exactly one 200 whose tokens end up revoked with the
 * family. Whatever was stored by a request that then fails is revoked with the family too.
 */
@Injectable()
@OAuthGrant()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = 'refresh_token';
  readonly parameters = ['refresh_token', 'scope', 'resource'] as const;
  readonly allowsPublicClients = true;

  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly revocation: GrantRevocationService,
    private readonly idTokens: IdTokenService,
    private readonly resourceIndicators: ResourceIndicators,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  async handle({ client, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    if (params.refresh_token === undefined) throw new InvalidRequestError('The refresh_token parameter is missing');
    const row = await this.refreshTokens.find(params.refresh_token);
    if (!row || row.clientId !== client.clientId || row.revokedAt !== null) throw new InvalidGrantError('The refresh token is invalid');
    if (this.refreshTokens.isExpired(row)) throw new InvalidGrantError('The refresh token expired');
    // RFC 9449 section 5: checked before reuse detection, so a stolen bound token cannot even revoke its family.
    checkRefreshTokenBinding(row.jkt, dpopJkt);
    const scopes = accessTokenScopes(params.scope, row, client);
    // RFC 8707 section 2.2: any one of the grant's resources per refresh; the new refresh token keeps them all.
    const target = this.resourceIndicators.accessTokenTarget(client, requestedResources(params), scopes, {
      grantResources: row.resources,
      explicitScopes: params.scope !== undefined,
    });
    if (row.rotatedAt !== null && !this.refreshTokens.withinReuseGrace(row)) await this.revokeFamily(row, 'refresh_reuse');
    const account = await findActiveAccount(this.accounts, row.accountId);
    if (!account) return this.revokeFamily(row, 'account_inactive');

    const response = await this.issueTokens(client, row, scopes, account, target, dpopJkt);
    if (row.rotatedAt === null && (await this.refreshTokens.rotate(row))) return response;
    // Already rotated (a reuse within the grace window) or rotated/revoked by a concurrent request.
    const current = await this.refreshTokens.reload(row);
    if (!current || current.revokedAt !== null || !this.refreshTokens.withinReuseGrace(current)) await this.revokeFamily(row, 'refresh_reuse');
    return response;
  }

  private async revokeFamily(row: RefreshTokenEntity, reason: 'refresh_reuse' | 'account_inactive'): Promise<never> {
    await this.revocation.revokeGrant(row.grantId, reason, { clientId: row.clientId, subject: row.accountId });
    throw new InvalidGrantError('The refresh token is invalid');
  }

  /**
   * New access and refresh tokens, and a new ID token while `openid` is still among the scopes (OpenID Connect Core
   * section 12.2: same `sub`, `aud`, `auth_time`, `acr`, `amr`, `sid`; new `iat`; no `nonce`).
   */
  private async issueTokens(
    client: ClientEntity,
    row: RefreshTokenEntity,
    scopes: string[],
    account: Account,
    target: AccessTokenTarget,
    jkt: string | undefined,
  ): Promise<TokenResponse> {
    const { sid, acr, amr, claims } = row;
    const issued = await this.tokens.issueAccessToken({ client, subject: row.accountId, ...target, grantId: row.grantId, sid, claims, jkt });
    const refreshToken = await this.refreshTokens.issue({
      clientId: client.clientId,
      accountId: row.accountId,
      scopes: row.scopes,
      authTime: row.authTime,
      grantId: row.grantId,
      grantExpiresAt: row.grantExpiresAt,
      sid,
      acr,
      amr,
      claims,
      resources: row.resources,
      // RFC 9449 section 5: a bound refresh token's successors stay bound to the same key.
      jkt: row.jkt,
    });
    const response: TokenResponse = { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn, refresh_token: refreshToken };
    if (target.scopes.length > 0) response.scope = formatScope(target.scopes);
    if (scopes.includes('openid')) {
      const requested = deserializeRequestedClaims(claims);
      response.id_token = await this.idTokens.issue({ client, account, scopes, authTime: row.authTime, accessToken: issued.accessToken, acr, amr, sid, requested });
    }
    return response;
  }
}
