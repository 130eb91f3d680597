import { Controller, Get } from '@nestjs/common';
import { CurrentToken, Public, RequireScope, type AccessTokenInfo } from 'authnest';

/** The separate API's routes: `api` and `restricted` are separate scopes on separate routes. */
@Controller()
export class PostsApiController {
  @Get('api/posts')
  @RequireScope('api')
  posts(@CurrentToken() token: AccessTokenInfo): { posts: { id: number; title: string }[]; for: string } {
    return { posts: [{ id: 1, title: 'Hello from the API process' }], for: token.sub };
  }

  @Get('api/posts/restricted')
  @RequireScope('restricted')
  restricted(@CurrentToken('clientId') clientId: string): { message: string } {
    return { message: `restricted posts for client ${clientId}` };
  }

  @Public()
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
