import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidGrantError, InvalidRequestError } from '../../errors/oauth-errors.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import { sha256Hex } from '../../internal/sha256.js';
import { AuthConfigError } from '../../options/auth-config.error.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { NonceStore } from '../../persistence/stores/nonce.store.js';
import { TokenService } from '../../tokens/token.service.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from '../rfc6749/grants/grant-handler.js';
import { grantableScopes } from '../rfc6749/scope-policy.js';
import { requestedResources, ResourceIndicators } from '../rfc8707/resource-indicators.service.js';
import { ASYMMETRIC_ALGORITHMS, peekAssertion, verifyAssertion } from './assertion-checks.js';
import { ClientKeys } from './client-keys.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** `grant_type` of the JWT bearer grant (RFC 7523 section 2.1). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The JWT bearer authorization grant (RFC 7523 sections 2.1 and 3): the client (authenticated, confidential) sends
 * `assertion`, a JWT from one of `jwtBearer.issuers`, signed with that issuer's keys (asymmetric algorithms only),
 * whose `aud` names this server, whose `exp` is at most `clientAssertions.maxLifetime` ahead, and whose `jti` has
 * not been used. Its `sub` must be an active account; the access token is that account's, for the requested
 * scopes within the client's (`openid` dropped: no ID token without a login), without a refresh token. Every
 * failure is `invalid_grant` with one generic description, and changes nothing.
 */
@Injectable()
@OAuthGrant()
export class JwtBearerGrant implements GrantHandler, OnModuleInit {
  readonly grantType = JWT_BEARER_GRANT;
  readonly parameters = ['assertion', 'scope', 'resource'] as const;
  readonly allowsPublicClients = false;
  private readonly logger = new AuthLogger();
  private readonly audiences: string[];

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: ClientKeys,
    private readonly nonces: NonceStore,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly resourceIndicators: ResourceIndicators,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {
    this.audiences = [options.issuer, endpointUrl(options.issuer, ENDPOINT_PATHS.token)];
  }

  /** A seeded client with the grant trades assertions for users' tokens: the users must be known. */
  onModuleInit(): void {
    if (this.accounts) return;
    const problems = this.options.clients.flatMap((client, index) =>
      client.grantTypes.includes(JWT_BEARER_GRANT) ? [`clients[${index}].grantTypes: '${JWT_BEARER_GRANT}' needs an AccountService: provide one under ACCOUNT_SERVICE`] : [],
    );
    if (problems.length > 0) throw new AuthConfigError(problems);
  }

  async handle({ client, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    if (params.assertion === undefined) throw new InvalidRequestError('The assertion parameter is missing');
    const refused = (reason: string) => {
      this.logger.warn(`JWT bearer grant refused for client ${client.clientId}: ${reason}`);
      return new InvalidGrantError('The assertion is not valid');
    };
    const issuerName = peekAssertion(params.assertion)?.payload.iss;
    const issuer = this.options.jwtBearer.issuers.find((candidate) => candidate.issuer === issuerName);
    if (!issuer) throw refused('unknown issuer or not a JWT');
    if (issuer.clients && !issuer.clients.includes(client.clientId)) throw refused('the client may not present this issuer');
    const key = this.keys.resolver(issuer);
    const now = this.clock.nowSeconds();
    const leeway = this.options.resource.leeway;
    const claims = key
      ? await verifyAssertion(
          params.assertion,
          { key, algorithms: ASYMMETRIC_ALGORITHMS, audiences: this.audiences, issuer: issuer.issuer, maxLifetime: this.options.clientAssertions.maxLifetime, leeway, now },
          true,
        )
      : undefined;
    if (!claims) throw refused('signature or claims');
    const scopes = grantableScopes(params.scope, client, this.options.scopes).filter((scope) => scope !== 'openid');
    const account = await findActiveAccount(this.accounts, claims.sub!);
    if (!account) throw refused('sub is not an active account');
    // RFC 8707: checked before the jti is used up, so a wrong resource does not burn the assertion.
    const target = this.resourceIndicators.accessTokenTarget(client, requestedResources(params), scopes, { explicitScopes: params.scope !== undefined });
    const fresh = await this.nonces.remember(sha256Hex(`jwt-bearer\u0000${issuer.issuer}\u0000${claims.jti}`), this.clock.now(), (claims.exp! + leeway) * 1000);
    if (!fresh) throw refused('jti used before');
    const issued = await this.tokens.issueAccessToken({ client, subject: account.id, ...target, jkt: dpopJkt });
    const response: TokenResponse = { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn };
    if (target.scopes.length > 0) response.scope = formatScope(target.scopes);
    return response;
  }
}
