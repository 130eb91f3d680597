import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AUTHNEST_SECURITY, CurrentToken, RequireScope, type AccessTokenInfo } from 'authnest';

interface Post {
  id: number;
  title: string;
  author: string;
}

/** Demo posts kept in memory: reading needs `posts:read`, writing `posts:write`. */
@Controller('api/posts')
@ApiTags('sample')
@ApiSecurity(AUTHNEST_SECURITY.accessToken)
export class PostsController {
  private readonly posts: Post[] = [{ id: 1, title: 'Hello from authnest', author: 'alice' }];

  @Get()
  @ApiOperation({ summary: 'List posts (scope posts:read)' })
  @RequireScope('posts:read')
  list(): Post[] {
    return this.posts;
  }

  @Post()
  @ApiOperation({ summary: 'Create a post (scope posts:write)' })
  @ApiBody({ schema: { type: 'object', properties: { title: { type: 'string', example: 'Hello' } } } })
  @HttpCode(201)
  @RequireScope('posts:write')
  create(@Body() body: { title?: unknown }, @CurrentToken() token: AccessTokenInfo): Post {
    const title = typeof body?.title === 'string' && body.title.length > 0 ? body.title.slice(0, 200) : 'Untitled';
    const post = { id: this.posts.length + 1, title, author: token.sub };
    this.posts.push(post);
    return post;
  }
}
