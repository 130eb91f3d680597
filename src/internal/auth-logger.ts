import { Logger } from '@nestjs/common';
import { currentRequestId } from './request-context.js';

/** `[req=<id>] message` while serving a request (ids are of a safe alphabet: nothing to escape), else `message`. */
function withRequestId(message: unknown): unknown {
  const requestId = currentRequestId();
  return requestId === undefined || typeof message !== 'string' ? message : `[req=${requestId}] ${message}`;
}

/** Nest's overloads take the trailing parameters (stack, context) as strings; whatever came is passed on as it came. */
type Rest = [string?];

/**
 * Nest's `Logger` (same output, same levels, same `app.useLogger()` target) whose lines made while serving a request
 * start with its id, `[req=<id>] `, so the lines of one request can be found together (and matched with the
 * `X-Request-Id` a client or proxy saw). What authnest logs never holds a secret, a token or a code.
 */
export class AuthLogger extends Logger {
  constructor(context = 'authnest') {
    super(context);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    super.log(withRequestId(message), ...(rest as Rest));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(withRequestId(message), ...(rest as Rest));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    super.error(withRequestId(message), ...(rest as Rest));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    super.debug(withRequestId(message), ...(rest as Rest));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    super.verbose(withRequestId(message), ...(rest as Rest));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    super.fatal(withRequestId(message), ...(rest as Rest));
  }
}
