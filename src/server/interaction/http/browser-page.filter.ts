import { Catch, HttpException, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS } from '../../../errors/storage-unavailable.js';
import { errorPage } from '../pages/error.page.js';
import { PageResponder } from './page-responder.service.js';
import { AuthLogger } from '../../../internal/auth-logger.js';

/**
 * Turns any exception on a browser-facing route (authorization endpoint, interaction pages) into an HTML
 * error page with the security headers, never JSON and never a stack trace. Client errors keep their status; the
 * storage down or locked (`isStorageUnavailable`) is a 503 page with `Retry-After` (the client and its redirect URI
 * cannot be checked, so no redirect); everything else is a generic 500. Failures are logged by name only.
 */
@Catch()
@Injectable()
export class BrowserPageFilter implements ExceptionFilter {
  private readonly logger = new AuthLogger();

  constructor(private readonly responder: PageResponder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    if (isStorageUnavailable(exception)) {
      this.logger.error('Storage unavailable on a browser page');
      const headers = { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) };
      return this.responder.send(response, errorPage(503, { message: 'The service is temporarily unavailable. Try again in a moment.', headers }));
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error(`Unexpected ${exception instanceof Error ? exception.name : typeof exception} on a browser page`);
    const message = status >= 500 ? 'Something went wrong on our side.' : 'The request could not be processed.';
    this.responder.send(response, errorPage(status >= 400 && status < 600 ? status : 500, { message }));
  }
}
