import { HttpException, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import type { BrowserRequest } from '../../server/interaction/http/browser-request.js';
import type { OAuthSession } from '../login/login-state.js';
import { OAuthLogin } from '../login/oauth-login.service.js';

/** Name of the client's passport strategy: `AuthGuard(AUTHNEST_OAUTH_SESSION)`. */
export const AUTHNEST_OAUTH_SESSION = 'authnest-oauth-session';

type Verify = (request: BrowserRequest, done: (error: unknown, user?: OAuthSession | false) => void) => void;

/** A passport strategy that asks its verify callback (Nest's `validate`) for the request's session. */
class SessionStrategyBase extends (passport.Strategy as unknown as new () => passport.Strategy & passport.StrategyCreatedStatic) {
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(request: BrowserRequest): void {
    this.verify(request, (error, user) => {
      if (error) return this.error(error);
      return user ? this.success(user) : this.fail(401);
    });
  }
}

/**
 * A @nestjs/passport strategy over `OAuthLogin`'s session, for apps built on `AuthGuard(...)`: `request.user` is
 * the signed-in user's `OAuthSession`. Logging in stays with `OAuthLogin.start` / `finish`. Passport's registry is
 * process-wide (see `AuthnestPassportGuard`).
 */
@Injectable()
export class OAuthSessionStrategy extends PassportStrategy(SessionStrategyBase, AUTHNEST_OAUTH_SESSION) {
  constructor(private readonly login: OAuthLogin) {
    super();
  }

  async validate(request: BrowserRequest): Promise<OAuthSession | false> {
    return (await this.login.session(request)) ?? false;
  }
}

/** `AuthGuard(AUTHNEST_OAUTH_SESSION)` answering like `OAuthSessionGuard`: 401 `{"error":"login_required"}`. */
@Injectable()
export class OAuthPassportGuard extends AuthGuard(AUTHNEST_OAUTH_SESSION) {
  override handleRequest<TUser = OAuthSession>(error: unknown, user: unknown, _info: unknown, _context: ExecutionContext): TUser {
    if (error) throw error;
    if (!user) throw new HttpException({ error: 'login_required', error_description: 'Sign in first' }, 401);
    return user as TUser;
  }
}
