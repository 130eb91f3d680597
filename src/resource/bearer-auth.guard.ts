import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientScopeError } from '../errors/bearer-errors.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER, type BearerTokenVerifier } from './bearer-token-verifier.js';
import { DPOP_BINDING, type DpopBinding } from './dpop-binding.js';
import { authenticateRequest, challenged } from './request-authentication.js';
import { PUBLIC_METADATA } from './public.decorator.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';
import { describeRequirement, satisfies, SCOPE_REQUIREMENT } from './scope-requirement.js';

/**
 * RFC 6750 bearer guard. Use it globally (`{ provide: APP_GUARD, useExisting: BearerAuthGuard }`), per
 * controller (`@UseGuards(BearerAuthGuard)`), or implicitly through `@RequireScope`. Skips `@Public()`
 * routes; 401 without a valid token, 403 `insufficient_scope` when the scope requirement is not met. With DPoP on
 * (RFC 9449 section 7), the DPoP scheme is accepted too, with a proof of the key the token is bound to; a DPoP-bound
 * token is never accepted with the Bearer scheme, DPoP on or off.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BEARER_TOKEN_VERIFIER) private readonly verifier: BearerTokenVerifier,
    @Inject(BEARER_REALM) private readonly realm: string,
    @Optional() @Inject(DPOP_BINDING) private readonly dpop?: DpopBinding,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<RequestWithToken>();
    const realm = this.realm;
    let token = request[REQUEST_TOKEN];
    let scheme: 'Bearer' | 'DPoP' = 'Bearer';
    if (!token) {
      ({ token, scheme } = await authenticateRequest(request, context.switchToHttp().getResponse(), this.verifier, realm, this.dpop ?? undefined));
      request[REQUEST_TOKEN] = token;
    }
    const requirement = this.reflector.getAllAndOverride(SCOPE_REQUIREMENT, targets);
    if (requirement && !satisfies(requirement, token.scopes)) {
      throw challenged(new InsufficientScopeError(realm, describeRequirement(requirement)), scheme, this.dpop ?? undefined);
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
