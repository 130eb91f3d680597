import { createParamDecorator, HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { appendQuery } from '../../server/authorize/authorization-response.js';
import { headerValue, type BrowserRequest } from '../../server/interaction/http/browser-request.js';
import { OAUTH_CLIENT_OPTIONS } from '../oauth-clients.service.js';
import type { ResolvedOAuthClientOptions } from '../resolve-oauth-client-options.js';
import { safeReturnTo, type OAuthSession } from './login-state.js';
import { OAuthLogin } from './oauth-login.service.js';

const SESSION = Symbol('authnest:oauth-session');

type RequestWithSession = BrowserRequest & { [SESSION]?: OAuthSession };

/** Whether the request asks for a page (a browser navigation) rather than data. */
function wantsPage(request: BrowserRequest): boolean {
  const accept = headerValue(request, 'accept') ?? '';
  return request.method === 'GET' && /\btext\/html\b/i.test(accept);
}

/**
 * Lets a request through when its browser is signed in to this app (`OAuthLogin.finish` started the session);
 * the session is then `@OAuthUser()` in the handler. Otherwise: with `loginPath` set, a page request (GET,
 * `Accept: text/html`) is sent there with `returnTo`, by 303; everything else gets 401 `{"error":"login_required"}`.
 */
@Injectable()
export class OAuthSessionGuard implements CanActivate {
  constructor(
    private readonly login: OAuthLogin,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(OAUTH_CLIENT_OPTIONS) private readonly options: ResolvedOAuthClientOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithSession>();
    const session = await this.login.session(request);
    if (session) {
      request[SESSION] = session;
      return true;
    }
    const { loginPath } = this.options;
    if (loginPath && wantsPage(request)) {
      const returnTo = safeReturnTo(requestPath(request));
      this.adapterHost.httpAdapter.setHeader(http.getResponse(), 'Location', appendQuery(loginPath, { returnTo }));
      throw new HttpException({ error: 'login_required', error_description: 'Sign in first' }, 303);
    }
    throw new HttpException({ error: 'login_required', error_description: 'Sign in first' }, 401);
  }
}

/** The path and query the browser asked for (Express `originalUrl`, Fastify `url`). */
function requestPath(request: BrowserRequest): string {
  return request.originalUrl ?? request.url ?? '/';
}

/** The signed-in user's `OAuthSession` on a route behind `OAuthSessionGuard` (or one of its fields). */
export const OAuthUser = createParamDecorator((field: keyof OAuthSession | undefined, context: ExecutionContext) => {
  const session = context.switchToHttp().getRequest<RequestWithSession>()[SESSION];
  return field && session ? session[field] : session;
});
