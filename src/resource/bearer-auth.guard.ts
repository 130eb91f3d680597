import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientScopeError } from '../errors/bearer-errors.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER, type BearerTokenVerifier } from './bearer-token-verifier.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { authorizationHeader } from './bearer-token.js';
import { DPOP_BINDING, readCredentials, type DpopBinding, type PresentedCredentials } from './dpop-binding.js';
import { authenticateRequest, challenged } from './request-authentication.js';
import { PUBLIC_METADATA } from './public.decorator.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';
import { describeRequirement, satisfies, SCOPE_REQUIREMENT, type ScopeRequirement } from './scope-requirement.js';

/** What a route's decorators say. */
interface RouteRule {
  isPublic: boolean;
  requirement: ScopeRequirement | undefined;
}

/**
 * RFC 6750 bearer guard. Use it globally (`{ provide: APP_GUARD, useExisting: BearerAuthGuard }`), per
 * controller (`@UseGuards(BearerAuthGuard)`), or implicitly through `@RequireScope`. Skips `@Public()`
 * routes; 401 without a valid token, 403 `insufficient_scope` when the scope requirement is not met. With DPoP on
 * (RFC 9449 section 7), the DPoP scheme is accepted too, with a proof of the key the token is bound to; a DPoP-bound
 * token is never accepted with the Bearer scheme, DPoP on or off.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  /** Decorator metadata is fixed once the app is built: read it once per route (handler, then its controller). */
  private readonly rules = new WeakMap<Function, WeakMap<Function, RouteRule>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(BEARER_TOKEN_VERIFIER) private readonly verifier: BearerTokenVerifier,
    @Inject(BEARER_REALM) private readonly realm: string,
    @Optional() @Inject(DPOP_BINDING) private readonly dpop?: DpopBinding,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeOf(context);
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest<RequestWithToken>();
    const token = request[REQUEST_TOKEN] ?? this.cachedBearer(request);
    if (!token) return this.authenticate(context, request, route);
    request[REQUEST_TOKEN] = token;
    return this.allowed(route, token, 'Bearer');
  }

  private async authenticate(context: ExecutionContext, request: RequestWithToken, route: RouteRule): Promise<boolean> {
    const { token, scheme } = await authenticateRequest(request, context.switchToHttp().getResponse(), this.verifier, this.realm, this.dpop ?? undefined);
    request[REQUEST_TOKEN] = token;
    return this.allowed(route, token, scheme);
  }

  private allowed(route: RouteRule, token: AccessTokenInfo, scheme: 'Bearer' | 'DPoP'): true {
    const { requirement } = route;
    if (requirement && !satisfies(requirement, token.scopes)) {
      throw challenged(new InsufficientScopeError(this.realm, describeRequirement(requirement)), scheme, this.dpop ?? undefined);
    }
    return true;
  }

  /**
   * A token sent with the Bearer scheme that the verifier verified moments ago (its `cached`, within the bounds it was
   * configured with), answered without a promise. Anything else (no cache, a miss, a DPoP-bound token, a malformed
   * header) takes the full path, which also tells what is wrong.
   */
  private cachedBearer(request: RequestWithToken): AccessTokenInfo | undefined {
    if (!this.verifier.cached) return undefined;
    let credentials: PresentedCredentials | undefined;
    try {
      credentials = readCredentials(authorizationHeader(request), this.realm, !!this.dpop);
    } catch {
      return undefined;
    }
    if (credentials?.scheme !== 'Bearer') return undefined;
    const token = this.verifier.cached(credentials.token);
    return token && !token.cnf ? token : undefined;
  }

  /** What the route's decorators say, read once per handler and controller. */
  private routeOf(context: ExecutionContext): RouteRule {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.rules.get(handler);
    if (!byController) {
      byController = new WeakMap();
      this.rules.set(handler, byController);
    }
    let rule = byController.get(controller);
    if (!rule) {
      rule = { isPublic: this.isPublic(context), requirement: this.reflector.getAllAndOverride(SCOPE_REQUIREMENT, [handler, controller]) };
      byController.set(controller, rule);
    }
    return rule;
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
