import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isProtocolPath } from '../server/endpoint-paths.js';
import { OAuthError } from './oauth-error.js';
import { InvalidRequestError, ServerError } from './oauth-errors.js';

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

/** Status of an error thrown below Nest (body parsers: 400, 413, 415), if it carries one. */
function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (typeof exception === 'object' && exception !== null) {
    const { statusCode, status } = exception as { statusCode?: unknown; status?: unknown };
    const value = typeof statusCode === 'number' ? statusCode : status;
    if (typeof value === 'number' && value >= 400 && value < 600) return value;
  }
  return undefined;
}

/**
 * Global filter installed by AuthModule. `OAuthError`s (from protocol endpoints and from the bearer
 * guard on host routes) become RFC 6749 section 5.2 / RFC 6750 responses with `Cache-Control: no-store`.
 * Any other error on a protocol endpoint (a body parser's 413, a database failure) becomes
 * `invalid_request` or a bare `server_error`, never a stack trace. Everything else keeps Nest's default.
 */
@Catch()
export class OAuthExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('authnest');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const request = host.switchToHttp().getRequest<RequestLike>();
    const error = this.toOAuthError(exception, requestPath(request));
    if (!error) return super.catch(exception, host);
    this.reply(host, error);
  }

  private toOAuthError(exception: unknown, path: string): OAuthError | undefined {
    if (exception instanceof OAuthError) return exception;
    if (!isProtocolPath(path)) return undefined;
    const status = statusOf(exception);
    if (status === 404 || status === 405) return undefined;
    if (status !== undefined && status < 500) {
      return new InvalidRequestError('The request could not be parsed', { status });
    }
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`Unexpected ${name} on ${path}`);
    return new ServerError();
  }

  private reply(host: ArgumentsHost, error: OAuthError): void {
    const adapter = this.httpAdapterHost?.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    if (!adapter) throw error;
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.setHeader(response, 'Pragma', 'no-cache');
    for (const [name, value] of Object.entries(error.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, error.toJSON(), error.status);
  }
}
