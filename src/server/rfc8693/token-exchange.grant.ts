import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidRequestError, InvalidTargetError, ServerError } from '../../errors/oauth-errors.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import { AuthConfigError } from '../../options/auth-config.error.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { TokenService } from '../../tokens/token.service.js';
import { OAuthGrant, type GrantContext, type GrantHandler, type TokenResponse } from '../rfc6749/grants/grant-handler.js';
import { requestedResources, ResourceIndicators, type AccessTokenTarget } from '../rfc8707/resource-indicators.service.js';
import { actorChain, boundDecision, checkMayAct, exchangeScopes, type BoundedDecision } from './exchange-rules.js';
import { ExchangedTokenVerifier, type ExchangedTokenOrigin } from './exchanged-token-verifier.service.js';
import { TOKEN_EXCHANGE_POLICY, type ExchangedToken, type TokenExchangePolicy, type TokenExchangeRequest } from './token-exchange-policy.js';
import { readExchangeTokens, TOKEN_EXCHANGE_GRANT, TOKEN_TYPES, type ExchangeTokenType } from './token-types.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/**
 * Token exchange (RFC 8693 section 2): an authenticated confidential client trades a subject token (an access token
 * this server issued, of any audience) and optionally an actor token for a new access token of the subject, for the
 * audience and scopes the host's `TokenExchangePolicy` decides, never more scopes than the subject token and the
 * client have. With an actor token the new token names the actor in `act`, nesting the subject token's own `act`
 * (section 4.1); a subject token's `may_act` is honoured (section 4.4). The new token belongs to the subject token's
 * grant and login session (revoking either revokes it), never outlives the subject token, and comes without a
 * refresh token. Invalid or refused tokens are `invalid_request`, a refused target `invalid_target` (section 2.2.2).
 * A `resource` goes through the resource indicators (RFC 8707: `aud` and scopes of that resource); with a DPoP proof
 * the new token is bound to its key (RFC 9449). A DPoP-bound subject or actor token is accepted only with a proof of
 * its own key (its `jkt` is also shown to the policy).
 *
 * Without a policy under `TOKEN_EXCHANGE_POLICY` the grant is off: not advertised, not dispatched, and boot refuses a
 * seeded client (or `registration.grantTypes`) that names it.
 */
@Injectable()
@OAuthGrant()
export class TokenExchangeGrant implements GrantHandler {
  readonly grantType = TOKEN_EXCHANGE_GRANT;
  readonly parameters = ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'resource', 'audience', 'scope'] as const;
  readonly allowsPublicClients = false;
  readonly enabled: boolean;
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly verifier: ExchangedTokenVerifier,
    private readonly resources: ResourceIndicators,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    @Optional() @Inject(TOKEN_EXCHANGE_POLICY) private readonly policy?: TokenExchangePolicy,
  ) {
    this.enabled = policy !== undefined;
    // In the constructor, so this clear message comes before the grant registry's generic "not a supported grant type".
    if (!policy) refuseWithoutPolicy(options);
  }

  async handle({ client, params, dpopJkt }: GrantContext): Promise<TokenResponse> {
    const policy = this.policy!;
    const presented = readExchangeTokens(params);
    const subject = await this.verified(client, 'subject_token', presented.subject);
    const actor = presented.actor ? (await this.verified(client, 'actor_token', presented.actor)).token : undefined;
    // A DPoP-bound token (RFC 9449) is worth nothing without its key: exchanging it needs a proof of that key, or a
    // stolen bound token would become a fresh bearer token here.
    for (const [parameter, token] of [['subject_token', subject.token], ['actor_token', actor]] as const) {
      if (token?.jkt !== undefined && token.jkt !== dpopJkt) {
        throw this.refused(client, `${parameter}: DPoP-bound, and the request proves another key or none`, new InvalidRequestError(`The ${parameter} is not valid`));
      }
    }
    checkMayAct(subject.token, actor, client);
    const requested = exchangeScopes(params.scope, subject.token, client, this.options.scopes);
    const resources = requestedResources(params);
    const target = this.resources.accessTokenTarget(client, resources, requested, { explicitScopes: params.scope !== undefined });
    // The new token's exp (its iat, this second, plus the ttl) is at most the subject token's exp.
    const maxTtl = Math.min(target.ttl, subject.token.exp - this.clock.nowSeconds());
    if (maxTtl < 1) throw this.refused(client, 'subject_token: expires this second', new InvalidRequestError('The subject_token is not valid'));
    const request: TokenExchangeRequest = {
      client,
      subject: subject.token,
      scopes: target.scopes,
      defaultAudience: target.audience,
      requestedTokenType: presented.requestedTokenType,
    };
    if (actor) request.actor = actor;
    if (params.audience !== undefined) request.audience = params.audience;
    if (resources[0] !== undefined) request.resource = resources[0];

    const outcome = await policy.decide(request);
    if (outcome === false) throw this.refused(client, 'the policy refused it', new InvalidRequestError('The token exchange is not allowed'));
    if (outcome === 'invalid_target') throw this.refused(client, 'the policy refused the target', new InvalidTargetError('The requested audience or resource is not allowed'));
    const result = boundDecision(outcome, request.scopes, maxTtl);
    if (!result) {
      this.logger.error('Token exchange: the TokenExchangePolicy returned a malformed decision');
      throw new ServerError();
    }
    const { bounded, dropped } = result;
    if (dropped.length > 0) this.logger.warn(`Token exchange for client ${client.clientId}: scopes beyond the request dropped from the policy's decision`);
    if (params.audience !== undefined && bounded.audience === undefined) {
      throw this.refused(client, 'no audience decided for the audience parameter', new InvalidTargetError('The requested audience is unknown'));
    }
    return this.issue({ client, subject: subject.token, origin: subject.origin, actor, decision: bounded, target, jkt: dpopJkt });
  }

  private async issue({ client, subject, origin, actor, decision, target, jkt }: Exchange): Promise<TokenResponse> {
    const act = actorChain(subject, actor);
    const issued = await this.tokens.issueAccessToken({
      client,
      subject: subject.sub,
      scopes: decision.scopes,
      grantId: origin.grantId ?? undefined,
      sid: origin.sid,
      audience: decision.audience ?? target.audience,
      ttl: decision.ttl,
      format: target.format,
      jkt,
      ...(act ? { act } : {}),
      ...(decision.mayAct ? { mayAct: decision.mayAct } : {}),
    });
    this.logger.log(`Token exchange: client ${client.clientId} got a token for a ${actor ? 'delegation' : 'impersonation'} (jti ${issued.jti})`);
    const response: TokenResponse = {
      access_token: issued.accessToken,
      issued_token_type: TOKEN_TYPES.accessToken,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
    };
    if (decision.scopes.length > 0) response.scope = formatScope(decision.scopes);
    return response;
  }

  /** The verified token, or `invalid_request` with one generic description per parameter (the reason is logged). */
  private async verified(client: ClientEntity, parameter: 'subject_token' | 'actor_token', presented: { token: string; type: ExchangeTokenType }) {
    const check = await this.verifier.verify(presented.token, presented.type);
    if ('problem' in check) throw this.refused(client, `${parameter}: ${check.problem}`, new InvalidRequestError(`The ${parameter} is not valid`));
    return check;
  }

  private refused<E extends Error>(client: ClientEntity, reason: string, error: E): E {
    this.logger.warn(`Token exchange refused for client ${client.clientId}: ${reason}`);
    return error;
  }
}

/** Everything a granted exchange is issued from. */
interface Exchange {
  client: ClientEntity;
  subject: ExchangedToken;
  origin: ExchangedTokenOrigin;
  actor: ExchangedToken | undefined;
  decision: BoundedDecision;
  target: AccessTokenTarget;
  /** RFC 9449: the key of the request's DPoP proof; the new token is bound to it. */
  jkt: string | undefined;
}

/** Boot without a policy: no seeded client and no registration may have the grant. */
function refuseWithoutPolicy(options: ResolvedAuthOptions): void {
  const fix = `needs a TokenExchangePolicy: provide one under TOKEN_EXCHANGE_POLICY`;
  const problems = options.clients.flatMap((client, index) => (client.grantTypes.includes(TOKEN_EXCHANGE_GRANT) ? [`clients[${index}].grantTypes: '${TOKEN_EXCHANGE_GRANT}' ${fix}`] : []));
  if (options.registration.grantTypes.includes(TOKEN_EXCHANGE_GRANT)) problems.push(`registration.grantTypes: '${TOKEN_EXCHANGE_GRANT}' ${fix}`);
  if (problems.length > 0) throw new AuthConfigError(problems);
}
