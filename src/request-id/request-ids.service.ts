import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { runWithRequestContext } from '../internal/request-context.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { ResolvedRequestIdOptions } from '../options/resolve-request-id-options.js';
import { requestIdOf } from './request-id.js';

/**
 * Gives a request its id (see `requestIds`): sets the response header before anything can answer (so error answers
 * carry it too: the platforms merge headers set on Node's response into theirs), then serves the request inside its
 * request context, which async work started while serving it (guards, controllers, services, events, logs) inherits.
 */
@Injectable()
export class RequestIds {
  private readonly options: ResolvedRequestIdOptions;

  constructor(@Inject(AUTH_OPTIONS) options: ResolvedAuthOptions) {
    this.options = options.requestIds;
  }

  /** Whether requests get ids (`requestIds.enabled`). */
  get enabled(): boolean {
    return this.options.enabled;
  }

  /** Runs `serve(request, response)` as the request with its id. */
  serve<Request extends IncomingMessage, Response extends ServerResponse>(
    request: Request,
    response: Response,
    serve: (request: Request, response: Response) => void,
  ): void {
    const requestId = requestIdOf(request.headers, this.options);
    response.setHeader(this.options.header, requestId);
    runWithRequestContext({ requestId }, () => serve(request, response));
  }
}
