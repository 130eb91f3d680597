import { Logger, type LoggerService } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthLogger } from './auth-logger.js';
import { runWithRequestContext } from './request-context.js';

class Lines implements LoggerService {
  readonly lines: unknown[][] = [];
  log = (...parts: unknown[]) => void this.lines.push(parts);
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
  fatal = this.log;
}

describe('AuthLogger', () => {
  afterEach(() => Logger.overrideLogger(false));

  it("prefixes the request's id to every level while serving a request, and nothing outside one", () => {
    const sink = new Lines();
    Logger.overrideLogger(sink);
    const logger = new AuthLogger();
    logger.warn('outside');
    runWithRequestContext({ requestId: 'req-1' }, () => {
      logger.log('a');
      logger.warn('b');
      logger.error('c', 'stack');
      logger.debug('d');
      logger.verbose('e');
      logger.fatal('f');
      logger.log({ structured: true });
    });
    expect(sink.lines).toEqual([
      ['outside', 'authnest'],
      ['[req=req-1] a', 'authnest'],
      ['[req=req-1] b', 'authnest'],
      ['[req=req-1] c', 'stack', 'authnest'],
      ['[req=req-1] d', 'authnest'],
      ['[req=req-1] e', 'authnest'],
      ['[req=req-1] f', 'authnest'],
      [{ structured: true }, 'authnest'],
    ]);
  });

  it('keeps the id of each request across awaits, whatever runs meanwhile', async () => {
    const sink = new Lines();
    Logger.overrideLogger(sink);
    const logger = new AuthLogger();
    const serve = (id: string, ms: number) =>
      runWithRequestContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        logger.log('done');
      });
    await Promise.all([serve('slow', 20), serve('fast', 1)]);
    expect(sink.lines).toEqual([
      ['[req=fast] done', 'authnest'],
      ['[req=slow] done', 'authnest'],
    ]);
  });
});
