import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { OAuthError } from './oauth-error.js';
import { browserPathErrorPage } from '../server/interaction/http/browser-path-errors.js';
import type { PageResponse } from '../server/interaction/http/page-response.js';
import { protocolErrorHeaders, protocolErrorOf } from './protocol-error.js';
import { AuthLogger } from '../internal/auth-logger.js';

interface RequestLike {
  url?: string;
  originalUrl?: string;
  raw?: { url?: string };
}

function requestPath(request: RequestLike): string {
  const url = request.originalUrl ?? request.raw?.url ?? request.url ?? '';
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/**
 * Global filter installed by AuthModule. `OAuthError`s (from protocol endpoints and from the bearer
 * guard on host routes) become RFC 6749 section 5.2 / RFC 6750 responses with `Cache-Control: no-store`.
 * Any other error on a protocol endpoint (a body parser's 413, a database failure) becomes
 * `invalid_request` or a bare `server_error`, never a stack trace. An error on a browser page's path before its
 * controller ran (a body parser's) becomes the HTML error page. Everything else keeps Nest's default.
 */
@Catch()
export class OAuthExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new AuthLogger();

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const request = host.switchToHttp().getRequest<RequestLike>();
    const error = protocolErrorOf(exception, requestPath(request), this.logger);
    if (error) return this.reply(host, error);
    const page = browserPathErrorPage(exception, requestPath(request));
    if (page && this.httpAdapterHost?.httpAdapter) {
      if (page.status >= 500) this.logger.error(`Unexpected ${exception instanceof Error ? exception.name : typeof exception} on a browser page`);
      return this.replyPage(host, page);
    }
    super.catch(exception, host);
  }

  /** An error page on a browser page's path (see `browserPathErrorPage`). */
  private replyPage(host: ArgumentsHost, page: PageResponse): void {
    const adapter = this.httpAdapterHost!.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(page.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, page.body, page.status);
  }

  private reply(host: ArgumentsHost, error: OAuthError): void {
    const adapter = this.httpAdapterHost?.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    if (!adapter) throw error;
    for (const [name, value] of Object.entries(protocolErrorHeaders(error))) adapter.setHeader(response, name, value);
    adapter.reply(response, error.toJSON(), error.status);
  }
}
