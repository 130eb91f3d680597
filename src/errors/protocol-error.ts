import { HttpException, type Logger } from '@nestjs/common';
import { isProtocolPath } from '../server/endpoint-paths.js';
import { OAuthError } from './oauth-error.js';
import { InvalidRequestError, ServerError } from './oauth-errors.js';
import { isStorageUnavailable, StorageUnavailableError } from './storage-unavailable.js';

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
 * What an error thrown while serving `path` is on the wire: an `OAuthError` as it is; on a protocol endpoint, a
 * storage outage (`isStorageUnavailable`: the database down, restarting, locked, a pool timeout) becomes 503
 * `temporarily_unavailable` with `Retry-After`, any other error with a 4xx status (a body parser's 413) becomes
 * `invalid_request` with that status, and anything else a bare `server_error` (logged by name only: no message, no
 * stack, nothing of the request). Undefined where the app's own handling applies (other paths, and 404 / 405 of the
 * router).
 */
export function protocolErrorOf(exception: unknown, path: string, logger: Pick<Logger, 'error'>): OAuthError | undefined {
  if (exception instanceof OAuthError) return exception;
  if (!isProtocolPath(path)) return undefined;
  if (isStorageUnavailable(exception)) {
    logger.error(`Storage unavailable on ${path}`);
    return new StorageUnavailableError();
  }
  const status = statusOf(exception);
  if (status === 404 || status === 405) return undefined;
  if (status !== undefined && status < 500) {
    return new InvalidRequestError('The request could not be parsed', { status });
  }
  const name = exception instanceof Error ? exception.name : typeof exception;
  logger.error(`Unexpected ${name} on ${path}`);
  return new ServerError();
}

/** The headers of an error response: `Cache-Control: no-store`, `Pragma: no-cache`, then the error's own. */
export function protocolErrorHeaders(error: OAuthError): Record<string, string> {
  return { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers };
}
