import { HttpException } from '@nestjs/common';
import { ENDPOINT_PATHS } from '../../endpoint-paths.js';
import { errorPage } from '../pages/error.page.js';
import type { PageResponse } from './page-response.js';

/** Paths of authnest's browser pages: the authorization endpoint, interaction pages, the device page, logout. */
function isBrowserPath(path: string): boolean {
  const exact: string[] = [ENDPOINT_PATHS.authorize, ENDPOINT_PATHS.device, ENDPOINT_PATHS.endSession, ENDPOINT_PATHS.endSessionConfirm];
  return exact.includes(path) || path.startsWith('/oauth/interaction/');
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const { statusCode, status } = (typeof exception === 'object' && exception !== null ? exception : {}) as { statusCode?: unknown; status?: unknown };
  const value = typeof statusCode === 'number' ? statusCode : status;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : undefined;
}

/**
 * The HTML error page for an error thrown on a browser page's path before its controller (and `BrowserPageFilter`)
 * ran: a body parser's 400, 413 or 415 (malformed JSON, an oversized form, an unsupported charset). A browser gets the
 * same page as for any refused request, never the parser's message (which echoes the body). Undefined elsewhere, and
 * for the router's 404 and 405, which stay the host app's.
 */
export function browserPathErrorPage(exception: unknown, path: string): PageResponse | undefined {
  if (!isBrowserPath(path)) return undefined;
  const status = statusOf(exception) ?? 500;
  if (status === 404 || status === 405) return undefined;
  const message = status >= 500 ? 'Something went wrong on our side.' : 'The request could not be processed.';
  return errorPage(status, { message });
}
