import { Controller, Get } from '@nestjs/common';
import { CurrentToken, RequireScope } from '../../../src/index.js';

/** `GET /api/me` with a `profile` token: the token's `jti`, to find its row. */
@Controller('api')
export class JtiController {
  @Get('me')
  @RequireScope('profile')
  me(@CurrentToken('jti') jti: string) {
    return { jti };
  }
}
