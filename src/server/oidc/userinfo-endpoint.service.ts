import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InsufficientScopeError, InvalidTokenError, MalformedBearerRequestError, MissingTokenError } from '../../errors/bearer-errors.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { authorizationHeader } from '../../resource/bearer-token.js';
import { readCredentials, type PresentedCredentials } from '../../resource/dpop-binding.js';
import { challenged } from '../../resource/request-authentication.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { isFormEncoded, readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { DpopResourceBinding } from '../rfc9449/dpop-resource-binding.js';
import { UserInfoService } from './userinfo.service.js';

const MAX_TOKEN_LENGTH = 8192;

/**
 * The UserInfo endpoint (OpenID Connect Core section 5.3), GET and POST. The access token comes as a bearer token
 * in the Authorization header, or (POST only) as the form parameter `access_token` (RFC 6750 section 2.2), never
 * both and never in the query. It must be one this server issued, unexpired and unrevoked (checked in the database
 * even for JWTs), for an active account and an enabled client, with the `openid` scope (else 403
 * `insufficient_scope`). The answer is `sub` (as in the ID token: public or pairwise) and exactly the claims the
 * token's scopes and its `claims` request allow. A DPoP-bound token (RFC 9449 section 7) is accepted only with the
 * DPoP scheme and a proof of its key for this endpoint's URL; with DPoP on, errors offer the DPoP challenge too.
 */
@Injectable()
export class UserInfoEndpoint {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly verifier: AccessTokenVerifier,
    private readonly accessTokens: AccessTokenStore,
    private readonly userInfo: UserInfoService,
    private readonly clock: Clock,
    @Optional() private readonly dpop?: DpopResourceBinding,
  ) {}

  async handle(request: ProtocolRequest, method: 'GET' | 'POST'): Promise<Record<string, unknown>> {
    let scheme: PresentedCredentials['scheme'] = 'Bearer';
    try {
      const presented = this.presentedToken(request, method);
      scheme = presented.scheme;
      return await this.answer(request, presented);
    } catch (error) {
      throw challenged(error, scheme, this.dpop ?? undefined);
    }
  }

  private async answer(request: ProtocolRequest, { scheme, token }: PresentedCredentials): Promise<Record<string, unknown>> {
    const realm = this.options.resource.realm;
    const row = token.length > MAX_TOKEN_LENGTH ? null : await this.accessTokens.findByToken(token);
    if (!row || row.revokedAt !== null || row.expiresAt <= this.clock.now()) throw new InvalidTokenError(realm);
    if (row.format === 'jwt') {
      const verified = await this.verifier.verifyJwtFor(token, row.audience).catch(() => undefined);
      if (!verified || verified.jti !== row.id) throw new InvalidTokenError(realm);
    }
    if (scheme === 'Bearer' && row.jkt !== null) throw new InvalidTokenError(realm, 'The access token is DPoP-bound: send it with the DPoP scheme and a proof');
    if (scheme === 'DPoP') await this.dpop!.verifyAt(request, endpointUrl(this.options.issuer, ENDPOINT_PATHS.userinfo), token, row.jkt ?? undefined);
    if (!row.scopes.includes('openid')) throw new InsufficientScopeError(realm, 'openid');
    const claims = await this.userInfo.claimsOfRow(row);
    if (!claims) throw new InvalidTokenError(realm);
    return claims;
  }

  /** The bearer token of the header or (POST) of the form body; both at once is `invalid_request` (RFC 6750 section 2). */
  private presentedToken(request: ProtocolRequest, method: 'GET' | 'POST'): PresentedCredentials {
    const realm = this.options.resource.realm;
    const fromHeader = readCredentials(authorizationHeader(request), realm, this.dpop !== undefined);
    let fromBody: string | undefined;
    if (method === 'POST' && isFormEncoded(request)) {
      try {
        fromBody = readFormParameters(request).access_token;
      } catch {
        throw new MalformedBearerRequestError(realm, 'The request body is malformed');
      }
    }
    if (fromHeader !== undefined && fromBody !== undefined) throw new MalformedBearerRequestError(realm, 'Send the access token once');
    if (fromHeader) return fromHeader;
    if (fromBody === undefined) throw new MissingTokenError(realm);
    return { scheme: 'Bearer', token: fromBody };
  }
}
