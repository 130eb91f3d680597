import { Controller, Get } from '@nestjs/common';
import { CurrentToken, Public, RequireScope, type AccessTokenInfo } from 'authnest';

/** What a guarded route of the host answers: who called, with which scopes. */
export interface PostsAnswer {
  clientId: string;
  scopes: string[];
  posts: string[];
}

/** The packaged-install host's routes: one guarded by a scope, one public under the global guard. */
@Controller('api')
export class PostsController {
  @Get('posts')
  @RequireScope('posts:read')
  list(@CurrentToken() token: AccessTokenInfo, @CurrentToken('clientId') clientId: AccessTokenInfo['clientId']): PostsAnswer {
    return { clientId, scopes: token.scopes, posts: ['hello from an installed authnest'] };
  }

  @Get('ping')
  @Public()
  ping(): { ok: true } {
    return { ok: true };
  }
}
