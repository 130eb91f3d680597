import { Controller, Get } from '@nestjs/common';
import { Public, RequireScope } from 'authnest';

const BODY = { hello: 'world' };

/** The same handler twice: behind the bearer guard with a scope, and public (the baseline of the guarded scenarios). */
@Controller('bench')
export class BenchController {
  @Get('guarded')
  @RequireScope('api:read')
  guarded(): typeof BODY {
    return BODY;
  }

  @Get('open')
  @Public()
  open(): typeof BODY {
    return BODY;
  }
}
