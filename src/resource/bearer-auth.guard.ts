import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientScopeError, MissingTokenError } from '../errors/bearer-errors.js';
import { authorizationHeader, extractBearerToken } from './bearer-token.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER, type BearerTokenVerifier } from './bearer-token-verifier.js';
import { PUBLIC_METADATA } from './public.decorator.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';
import { describeRequirement, satisfies, SCOPE_REQUIREMENT } from './scope-requirement.js';

/**
 * RFC 6750 bearer guard. Use it globally (`{ provide: APP_GUARD, useExisting: BearerAuthGuard }`), per
 * controller (`@UseGuards(BearerAuthGuard)`), or implicitly through `@RequireScope`. Skips `@Public()`
 * routes; 401 without a valid token, 403 `insufficient_scope` when the scope requirement is not met.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BEARER_TOKEN_VERIFIER) private readonly verifier: BearerTokenVerifier,
    @Inject(BEARER_REALM) private readonly realm: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<RequestWithToken>();
    const realm = this.realm;
    let token = request[REQUEST_TOKEN];
    if (!token) {
      const raw = extractBearerToken(authorizationHeader(request), realm);
      if (raw === undefined) throw new MissingTokenError(realm);
      token = await this.verifier.verify(raw);
      request[REQUEST_TOKEN] = token;
    }
    const requirement = this.reflector.getAllAndOverride(SCOPE_REQUIREMENT, targets);
    if (requirement && !satisfies(requirement, token.scopes)) {
      throw new InsufficientScopeError(realm, describeRequirement(requirement));
    }
    return true;
  }

  /**
   * `@Public()` on the route, or on the controller unless the route has its own `@RequireScope`: the closest
   * decorator wins, so a scoped route inside a public controller stays protected.
   */
  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const onRoute = this.reflector.get(PUBLIC_METADATA, handler);
    if (onRoute !== undefined) return onRoute;
    if (this.reflector.get(SCOPE_REQUIREMENT, handler)) return false;
    return this.reflector.get(PUBLIC_METADATA, context.getClass()) === true;
  }
}
