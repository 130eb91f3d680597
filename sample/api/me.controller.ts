import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AUTHNEST_SECURITY, CurrentToken, Public, RequireScope, UserInfoService, type AccessTokenInfo } from 'authnest';

/** `/api/me` (scope `openid` or `profile`), `/api/restricted` (scope `restricted`) and a public `/health`. */
@Controller()
@ApiTags('sample')
export class MeController {
  constructor(private readonly userInfo: UserInfoService) {}

  /**
   * A user's token with `openid`: the user's claims, exactly as `/oauth/userinfo` releases them for its scopes
   * (`openid profile email` gives name and email). Any other token: who it was issued to.
   */
  @Get('api/me')
  @ApiOperation({ summary: 'Who the token is for (scope openid or profile)' })
  @ApiSecurity(AUTHNEST_SECURITY.accessToken)
  @RequireScope(['openid'], ['profile'])
  async me(@CurrentToken() token: AccessTokenInfo): Promise<Record<string, unknown>> {
    const claims = await this.userInfo.claimsFor(token);
    return claims ? { ...claims, client_id: token.clientId } : { sub: token.sub, client_id: token.clientId, scope: token.scopes };
  }

  @Get('api/restricted')
  @ApiOperation({ summary: 'Needs scope restricted' })
  @ApiSecurity(AUTHNEST_SECURITY.accessToken)
  @RequireScope('restricted')
  restricted(@CurrentToken('sub') sub: string): { message: string } {
    return { message: `restricted data for ${sub}` };
  }

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness (public)' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
