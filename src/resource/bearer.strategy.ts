import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { MissingTokenError } from '../errors/bearer-errors.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { extractBearerToken } from './bearer-token.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';

/** Name of authnest's passport strategy: `AuthGuard(AUTHNEST_BEARER)`. */
export const AUTHNEST_BEARER = 'authnest-bearer';

/**
 * A @nestjs/passport strategy over the same verifier as `BearerAuthGuard`, for apps built on
 * `AuthGuard(...)`. `request.user` becomes the `AccessTokenInfo`.
 */
@Injectable()
export class AuthnestBearerStrategy extends PassportStrategy(Strategy, AUTHNEST_BEARER) {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super({ passReqToCallback: false });
  }

  validate(token: string): Promise<AccessTokenInfo> {
    return this.verifier.verify(token);
  }
}

/**
 * `AuthGuard(AUTHNEST_BEARER)` with RFC 6750 answers: 400 for a malformed header, 401 with a bare
 * `Bearer realm` challenge when no token was sent, and the verifier's `invalid_token` otherwise.
 */
@Injectable()
export class AuthnestPassportGuard extends AuthGuard(AUTHNEST_BEARER) {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithToken>();
    extractBearerToken(request.headers.authorization, this.options.resource.realm);
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<TUser = AccessTokenInfo>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (!user) throw new MissingTokenError(this.options.resource.realm);
    context.switchToHttp().getRequest<RequestWithToken>()[REQUEST_TOKEN] = user as AccessTokenInfo;
    return user as TUser;
  }
}
