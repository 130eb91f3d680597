import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { formatScope } from '../../../internal/scope.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import { TokenService } from '../../../tokens/token.service.js';
import { requestedResources, ResourceIndicators } from '../../rfc8707/resource-indicators.service.js';
import { grantableScopes } from '../scope-policy.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from './grant-handler.js';

/**
 * Client credentials grant (RFC 6749 section 4.4): a confidential client obtains an access token for
 * itself. `sub` is the client id (RFC 9068 section 2.2); no refresh token is issued (section 4.4.3); `openid` is
 * dropped from the scopes (there is no user, so no ID token and no UserInfo).
 */
@Injectable()
@OAuthGrant()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';
  readonly parameters = ['scope', 'resource'] as const;
  readonly allowsPublicClients = false;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly tokens: TokenService,
    private readonly resourceIndicators: ResourceIndicators,
  ) {}

  async handle({ client, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    // `openid` means an end user logged in (OpenID Connect Core section 3.1.2.1): never in a client's own token.
    const scopes = grantableScopes(params.scope, client, this.options.scopes).filter((scope) => scope !== 'openid');
    // RFC 8707 section 2.2: a token for the one resource named (only its scopes), or for the default audience.
    const target = this.resourceIndicators.accessTokenTarget(client, requestedResources(params), scopes, { explicitScopes: params.scope !== undefined });
    const issued = await this.tokens.issueAccessToken({ client, subject: client.clientId, ...target, jkt: dpopJkt });
    const response: TokenResponse = { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn };
    if (target.scopes.length > 0) response.scope = formatScope(target.scopes);
    return response;
  }
}
