import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { InvalidGrantError, InvalidRequestError } from '../../../errors/oauth-errors.js';
import { Clock } from '../../../internal/clock.js';
import { formatScope } from '../../../internal/scope.js';
import { sha256Hex } from '../../../internal/sha256.js';
import type { ClientAuthMethod } from '../../../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import type { AuthorizationCodeEntity } from '../../../persistence/entities/authorization-code.entity.js';
import { AuthorizationCodeStore } from '../../../persistence/stores/authorization-code.store.js';
import { RefreshTokenService } from '../../../tokens/refresh-token.service.js';
import { TokenService } from '../../../tokens/token.service.js';
import { ACCOUNT_SERVICE, type Account, type AccountService } from '../../accounts/account.service.js';
import { findActiveAccount } from '../../accounts/active-account.js';
import { GrantRevocationService } from '../../grants/grant-revocation.service.js';
import { deserializeRequestedClaims } from '../../oidc/claims-request.js';
import { IdTokenService } from '../../oidc/id-token.service.js';
import { codeVerifierMatches, isCodeVerifier } from '../../rfc7636/pkce.js';
import { requestedResources, ResourceIndicators, type AccessTokenTarget } from '../../rfc8707/resource-indicators.service.js';
import { codeBindingMatches, refreshTokenJkt } from '../../rfc9449/refresh-binding.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from './grant-handler.js';

/** Longer strings are not codes this server issued; they never reach the database. */
const MAX_CODE_LENGTH = 512;

/**
 * Authorization code grant at the token endpoint (RFC 6749 section 4.1.3, OAuth 2.1 section 4.1.3, RFC 7636
 * section 4.6). The code must be this client's, unexpired and unused; `redirect_uri` must repeat the one of the
 * authorization request; PKCE is checked in constant time and any failed PKCE check burns the code; the account
 * must still exist and be active. Public clients may redeem codes only with PKCE.
 *
 * Redemption is single use even under concurrency: the tokens are stored first, then the code is consumed with
 * one atomic conditional update, and only the request that consumed it answers 200. Any other redemption of the
 * code (a replay, or a loser of a race) revokes the whole grant, the winner's tokens included: they were stored
 * before the winner's consume, which came before the loser's failed one.
 */
@Injectable()
@OAuthGrant()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = 'authorization_code';
  readonly parameters = ['code', 'redirect_uri', 'code_verifier', 'resource'] as const;
  readonly allowsPublicClients = true;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly codes: AuthorizationCodeStore,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly revocation: GrantRevocationService,
    private readonly idTokens: IdTokenService,
    private readonly clock: Clock,
    private readonly resourceIndicators: ResourceIndicators,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  async handle({ client, authMethod, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    if (params.code === undefined) throw new InvalidRequestError('The code parameter is missing');
    const code = params.code.length > MAX_CODE_LENGTH ? null : await this.codes.findByHash(sha256Hex(params.code));
    if (!code || code.clientId !== client.clientId) throw new InvalidGrantError('The authorization code is invalid');
    if (code.consumedAt !== null) {
      await this.revocation.revokeGrant(code.id, 'code_replay', { clientId: code.clientId, subject: code.accountId });
      throw new InvalidGrantError('The authorization code is invalid');
    }
    if (code.expiresAt <= this.clock.now()) throw new InvalidGrantError('The authorization code expired');
    this.checkRedirectUri(code, params.redirect_uri);
    await this.checkPkce(code, params.code_verifier, authMethod);
    // RFC 9449 section 10.1: a code requested with dpop_jkt needs a proof of that key (a failure changes nothing).
    if (!codeBindingMatches(code.dpopJkt, dpopJkt)) throw new InvalidGrantError('The authorization code is bound to another DPoP key');
    const account = await findActiveAccount(this.accounts, code.accountId);
    if (!account) throw new InvalidGrantError('The authorization code is invalid');

    // RFC 8707 section 2.2: one of the code's resources (else invalid_target, the code stays usable), or its only one.
    const target = this.resourceIndicators.accessTokenTarget(client, requestedResources(params), code.scopes, { grantResources: code.resources });
    const response = await this.issueTokens(client, code, account, target, { jkt: dpopJkt, refreshJkt: refreshTokenJkt(authMethod, dpopJkt) });
    if (!(await this.codes.consume(code.id, this.clock.now()))) {
      await this.revocation.revokeGrant(code.id, 'code_replay', { clientId: code.clientId, subject: code.accountId });
      throw new InvalidGrantError('The authorization code is invalid');
    }
    return response;
  }

  /** RFC 6749 section 4.1.3: required and identical when the authorization request had one; never different. */
  private checkRedirectUri(code: AuthorizationCodeEntity, presented: string | undefined): void {
    const mismatch = presented === undefined ? code.redirectUriSent : presented !== code.redirectUri;
    if (mismatch) throw new InvalidGrantError('The redirect_uri does not match the authorization request');
  }

  /**
   * RFC 7636 section 4.6 and RFC 9700 section 2.1.1. A verifier is accepted if and only if a challenge is bound to
   * the code; public clients (and every client under `authorization.pkce: 'all-clients'`) need one. A challenge
   * without a verifier is `invalid_grant` (security checklist 15; Authlib answers `invalid_request`). Every failure
   * consumes the code, so a verifier cannot be guessed online (checklist 16).
   */
  private async checkPkce(code: AuthorizationCodeEntity, verifier: string | undefined, authMethod: ClientAuthMethod): Promise<void> {
    const { pkce, allowPlainPkce } = this.options.authorization;
    let failure: InvalidGrantError | InvalidRequestError | undefined;
    if (code.codeChallenge === null) {
      if (verifier !== undefined) failure = new InvalidGrantError('A code_verifier was sent but the authorization request had no code_challenge');
      else if (authMethod === 'none' || pkce === 'all-clients') failure = new InvalidGrantError('The authorization code was issued without PKCE');
    } else if (verifier === undefined) {
      failure = new InvalidGrantError('The code_verifier parameter is missing');
    } else if (!isCodeVerifier(verifier)) {
      failure = new InvalidRequestError('The code_verifier is malformed');
    } else if (!codeVerifierMatches(verifier, code.codeChallenge, code.codeChallengeMethod, allowPlainPkce)) {
      failure = new InvalidGrantError('The code_verifier does not match the code_challenge');
    }
    if (!failure) return;
    await this.codes.consume(code.id, this.clock.now());
    throw failure;
  }

  /** Access token, refresh token (clients with the grant), and an ID token when `openid` was granted (OIDC Core 3.1.3.3). */
  private async issueTokens(
    client: GrantContext['client'],
    code: AuthorizationCodeEntity,
    account: Account,
    target: AccessTokenTarget,
    dpop: { jkt?: string; refreshJkt?: string },
  ): Promise<TokenResponse> {
    const { sid, acr, amr, claims } = code;
    const issued = await this.tokens.issueAccessToken({ client, subject: code.accountId, ...target, grantId: code.id, sid, claims, jkt: dpop.jkt });
    const response: TokenResponse = { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn };
    if (client.grantTypes.includes('refresh_token')) {
      response.refresh_token = await this.refreshTokens.issue({
        clientId: client.clientId,
        accountId: code.accountId,
        scopes: code.scopes,
        authTime: code.authTime,
        grantId: code.id,
        sid,
        acr,
        amr,
        claims,
        resources: code.resources,
        jkt: dpop.refreshJkt,
      });
    }
    if (target.scopes.length > 0) response.scope = formatScope(target.scopes);
    if (code.scopes.includes('openid')) {
      response.id_token = await this.idTokens.issue({
        client,
        account,
        scopes: code.scopes,
        authTime: code.authTime,
        accessToken: issued.accessToken,
        nonce: code.nonce ?? undefined,
        acr,
        amr,
        sid,
        requested: deserializeRequestedClaims(claims),
      });
    }
    return response;
  }
}
