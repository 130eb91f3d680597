import { Catch, HttpException, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorPage } from '../pages/error.page.js';
import { PageResponder } from './page-responder.service.js';

/**
 * Turns any exception on a browser-facing route (authorization endpoint, interaction pages) into an HTML
 * error page with the security headers, never JSON and never a stack trace. Client errors keep their status;
 * everything else is a generic 500 and is logged by name only.
 */
@Catch()
@Injectable()
export class BrowserPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('authnest');

  constructor(private readonly responder: PageResponder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error(`Unexpected ${exception instanceof Error ? exception.name : typeof exception} on a browser page`);
    const message = status >= 500 ? 'Something went wrong on our side.' : 'The request could not be processed.';
    this.responder.send(host.switchToHttp().getResponse(), errorPage(status >= 400 && status < 600 ? status : 500, { message }));
  }
}
