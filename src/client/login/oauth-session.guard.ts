import { createParamDecorator, HttpException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { BrowserRequest } from '../../server/interaction/http/browser-request.js';
import type { OAuthSession } from './login-state.js';
import { OAuthLogin } from './oauth-login.service.js';

const SESSION = Symbol('authnest:oauth-session');

type RequestWithSession = BrowserRequest & { [SESSION]?: OAuthSession };

/**
 * Lets a request through when its browser is signed in to this app (`OAuthLogin.finish` started the session);
 * otherwise 401 `{"error":"login_required"}`. The session is then `@OAuthUser()` in the handler.
 */
@Injectable()
export class OAuthSessionGuard implements CanActivate {
  constructor(private readonly login: OAuthLogin) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithSession>();
    const session = await this.login.session(request);
    if (!session) throw new HttpException({ error: 'login_required', error_description: 'Sign in first' }, 401);
    request[SESSION] = session;
    return true;
  }
}

/** The signed-in user's `OAuthSession` on a route behind `OAuthSessionGuard` (or one of its fields). */
export const OAuthUser = createParamDecorator((field: keyof OAuthSession | undefined, context: ExecutionContext) => {
  const session = context.switchToHttp().getRequest<RequestWithSession>()[SESSION];
  return field && session ? session[field] : session;
});
