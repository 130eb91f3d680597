import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidClientError, UnauthorizedClientError } from '../../errors/oauth-errors.js';
import { unavailableOnFailure } from '../../errors/unavailable-on-failure.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { AccessTokenEntity } from '../../persistence/entities/access-token.entity.js';
import type { RefreshTokenEntity } from '../../persistence/entities/refresh-token.entity.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { RefreshTokenService } from '../../tokens/refresh-token.service.js';
import { storedActorClaim } from '../../tokens/stored-actor-claim.js';
import { ClientAuthenticator } from '../rfc6749/client-authenticator.service.js';
import { readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { IssuedTokenLookup, presentedToken } from '../rfc7009/issued-token-lookup.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** An active token's introspection answer (RFC 7662 section 2.2); `scope` only when the token has scopes. */
export interface ActiveTokenIntrospection {
  active: true;
  /** `Bearer` for access tokens (JWT or opaque), `refresh_token` for refresh tokens. */
  token_type: 'Bearer' | 'DPoP' | 'refresh_token';
  client_id: string;
  sub: string;
  iat: number;
  exp: number;
  scope?: string;
  /** Access tokens only. */
  aud?: string;
  iss?: string;
  jti?: string;
  /** RFC 8693 section 4.1: the actor chain of a token issued by token exchange (delegation). */
  act?: Record<string, unknown>;
  /** RFC 8693 section 4.4: who may act for the token's subject. */
  may_act?: Record<string, unknown>;
  /** RFC 9449 section 6.2: the DPoP key a bound access token is bound to (then `token_type` is `DPoP`). */
  cnf?: { jkt: string };
}

/** An introspection answer: exactly `{ active: false }`, or an active token's claims. */
export type IntrospectionResponse = { active: false } | ActiveTokenIntrospection;

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false as const });

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Token introspection (RFC 7662 section 2). Only clients seeded with `allowIntrospection` may call it, with real
 * client authentication: no credentials, a wrong secret or a public client (`none`) is 401 `invalid_client`
 * (section 2.3); an authenticated client without the right is 403 `unauthorized_client`, before the token is
 * even looked up, so the answer never depends on the token (security checklist 61, POLICY: only authorised
 * resource-server clients). Access tokens of both formats are found by hash; a JWT must also verify (signature
 * and claims) against the audience it was issued for. Anything not active (expired, revoked, rotated, unknown,
 * malformed) is exactly `{"active":false}`. A storage failure is 503, never an answer about the token.
 */
@Injectable()
export class IntrospectionEndpoint {
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly authenticator: ClientAuthenticator,
    private readonly lookup: IssuedTokenLookup,
    private readonly refreshTokens: RefreshTokenService,
    private readonly verifier: AccessTokenVerifier,
    private readonly clock: Clock,
  ) {}

  handle(request: ProtocolRequest): Promise<IntrospectionResponse> {
    return unavailableOnFailure(this.logger, 'Token introspection', () => this.introspect(request));
  }

  private async introspect(request: ProtocolRequest): Promise<IntrospectionResponse> {
    const params = readFormParameters(request);
    const { client, method } = await this.authenticator.authenticate(request, params);
    if (method === 'none') {
      this.authenticator.reportFailure(request, method, 'method_not_allowed', client.clientId);
      throw new InvalidClientError('Introspection requires client authentication');
    }
    if (!client.allowIntrospection) throw new UnauthorizedClientError('The client may not introspect tokens', { status: 403 });
    const { token, hint } = presentedToken(params);
    const found = await this.lookup.find(token, hint);
    if (!found) return INACTIVE;
    return found.kind === 'refresh_token' ? this.describeRefreshToken(found.row) : this.describeAccessToken(token, found.row);
  }

  private describeRefreshToken(row: RefreshTokenEntity): IntrospectionResponse {
    if (!this.refreshTokens.isActive(row)) return INACTIVE;
    const answer: ActiveTokenIntrospection = {
      active: true,
      token_type: 'refresh_token',
      client_id: row.clientId,
      sub: row.accountId,
      iat: seconds(row.issuedAt),
      exp: seconds(Math.min(row.expiresAt, row.grantExpiresAt)),
    };
    if (row.scopes.length > 0) answer.scope = formatScope(row.scopes);
    return answer;
  }

  private async describeAccessToken(token: string, row: AccessTokenEntity): Promise<IntrospectionResponse> {
    if (row.revokedAt !== null || row.expiresAt <= this.clock.now()) return INACTIVE;
    if (row.format === 'jwt') {
      const verified = await this.verifier.verifyJwtFor(token, row.audience).catch(() => undefined);
      if (!verified || verified.jti !== row.id) return INACTIVE;
    }
    const answer: ActiveTokenIntrospection = {
      active: true,
      token_type: row.jkt !== null ? 'DPoP' : 'Bearer',
      client_id: row.clientId,
      sub: row.subject,
      aud: row.audience,
      iss: this.options.issuer,
      iat: seconds(row.issuedAt),
      exp: seconds(row.expiresAt),
      jti: row.id,
    };
    if (row.scopes.length > 0) answer.scope = formatScope(row.scopes);
    const act = storedActorClaim(row.act);
    if (act) answer.act = act;
    const mayAct = storedActorClaim(row.mayAct);
    if (mayAct) answer.may_act = mayAct;
    if (row.jkt !== null) answer.cnf = { jkt: row.jkt };
    return answer;
  }
}
