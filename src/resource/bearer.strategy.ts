import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { StrategyCreatedStatic } from 'passport';
import { Strategy } from 'passport-http-bearer';
import { InvalidTokenError, MissingTokenError } from '../errors/bearer-errors.js';
import { unavailableIfStorageDown } from '../errors/storage-unavailable.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { authorizationHeader, extractBearerToken } from './bearer-token.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER, type BearerTokenVerifier } from './bearer-token-verifier.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';

/** Name of authnest's passport strategy: `AuthGuard(AUTHNEST_BEARER)`. */
export const AUTHNEST_BEARER = 'authnest-bearer';

/**
 * A @nestjs/passport strategy over the same verifier as `BearerAuthGuard`, for apps built on
 * `AuthGuard(...)`. `request.user` becomes the `AccessTokenInfo`.
 */
@Injectable()
export class AuthnestBearerStrategy extends PassportStrategy(Strategy, AUTHNEST_BEARER) {
  constructor(
    @Inject(BEARER_TOKEN_VERIFIER) private readonly verifier: BearerTokenVerifier,
    @Inject(BEARER_REALM) private readonly realm: string,
  ) {
    super({ passReqToCallback: false });
  }

  /**
   * Reads the token as `BearerAuthGuard` does, from the Authorization header only (passport-http-bearer alone
   * would also take `?access_token=` and body tokens), and fails with the RFC 6750 errors: 400 for a malformed
   * header, 401 with a bare `Bearer realm` challenge without one, also under a plain `AuthGuard(AUTHNEST_BEARER)`.
   */
  override authenticate(this: AuthnestBearerStrategy & StrategyCreatedStatic, request: RequestWithToken, options?: object): void {
    const realm = this.realm;
    let token: string | undefined;
    try {
      token = extractBearerToken(authorizationHeader(request), realm);
    } catch (error) {
      return this.error(error);
    }
    if (token === undefined) return this.error(new MissingTokenError(realm));
    const headerOnly = { headers: { authorization: `Bearer ${token}` } };
    super.authenticate(headerOnly as Parameters<InstanceType<typeof Strategy>['authenticate']>[0], options);
  }

  /** The Bearer scheme only: a DPoP-bound token (RFC 9449 section 7.1) needs `BearerAuthGuard` and a proof. */
  async validate(token: string): Promise<AccessTokenInfo> {
    // The storage down or locked: 503 with Retry-After, as BearerAuthGuard answers, not a 500 or a 401.
    const info = await this.verifier.verify(token).catch((error: unknown) => {
      throw unavailableIfStorageDown(error);
    });
    if (info.cnf) throw new InvalidTokenError(this.realm, 'The access token is DPoP-bound: send it with the DPoP scheme and a proof');
    return info;
  }
}

/**
 * `AuthGuard(AUTHNEST_BEARER)` with RFC 6750 answers: 400 for a malformed header, 401 with a bare
 * `Bearer realm` challenge when no token was sent, and the verifier's `invalid_token` otherwise.
 */
@Injectable()
export class AuthnestPassportGuard extends AuthGuard(AUTHNEST_BEARER) {
  constructor(@Inject(BEARER_REALM) private readonly realm: string) {
    super();
  }

  override handleRequest<TUser = AccessTokenInfo>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (!user) throw new MissingTokenError(this.realm);
    context.switchToHttp().getRequest<RequestWithToken>()[REQUEST_TOKEN] = user as AccessTokenInfo;
    return user as TUser;
  }
}
