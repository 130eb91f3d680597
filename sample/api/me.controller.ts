import { Controller, Get } from '@nestjs/common';
import { CurrentToken, Public, RequireScope, type AccessTokenInfo } from 'authnest';

/** `/api/me` (scope `profile`), `/api/restricted` (scope `restricted`) and a public `/health`. */
@Controller()
export class MeController {
  @Get('api/me')
  @RequireScope('profile')
  me(@CurrentToken() token: AccessTokenInfo): { sub: string; client_id: string; scope: string[] } {
    return { sub: token.sub, client_id: token.clientId, scope: token.scopes };
  }

  @Get('api/restricted')
  @RequireScope('restricted')
  restricted(@CurrentToken('sub') sub: string): { message: string } {
    return { message: `restricted data for ${sub}` };
  }

  @Public()
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
