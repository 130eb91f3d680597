import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { AuthModule, AuthResourceModule, BearerAuthGuard, CurrentToken, RequireScope, type AccessTokenInfo } from '../../../src/index.js';

/**
 * A host app as a user writes it, wired for production: an authorization server on a PostgreSQL nobody can reach
 * (TEST-NET-1), and a separate API whose issuer resolves nowhere. Its tests must never touch either.
 */
export const UNROUTABLE_DATABASE_URL = 'postgres://nobody:nothing@192.0.2.1:5432/none';
export const UNROUTABLE_ISSUER = 'https://issuer.unroutable.invalid';
export const API_AUDIENCE = 'https://api.example.com';

/** The host's guarded routes: what the guards let through, as the handler sees it. */
@Controller('api/posts')
export class PostsController {
  @Get()
  @RequireScope('posts:read')
  list(@CurrentToken() token: AccessTokenInfo): Record<string, unknown> {
    return { sub: token.sub, clientId: token.clientId, format: token.format, scopes: token.scopes, aud: token.aud, claims: token.claims };
  }

  @Post()
  @RequireScope('posts:write')
  create(@CurrentToken('sub') sub: string): Record<string, unknown> {
    return { created: true, by: sub };
  }
}

/** A controller guarded as a whole with `BearerAuthGuard` (any valid token). */
@Controller('api/account')
@UseGuards(BearerAuthGuard)
export class AccountController {
  @Get()
  show(@CurrentToken('sub') sub: string): Record<string, unknown> {
    return { sub };
  }
}

/** A feature module relying on a global AuthModule, as hosts with `isGlobal: true` do. */
@Module({ controllers: [PostsController, AccountController] })
export class PostsModule {}

/** The host's root module: AuthModule (global) configured for production, and the feature module. */
@Module({
  imports: [
    AuthModule.forRoot({
      isGlobal: true,
      issuer: 'https://auth.example.com',
      database: { type: 'postgres', url: UNROUTABLE_DATABASE_URL },
      signing: { encryptionSecret: 'production-secret-from-the-vault-0123456789' },
      scopes: ['posts:read', 'posts:write'],
    }),
    PostsModule,
  ],
})
export class HostAppModule {}

/** A separate API: AuthResourceModule (not global) checking tokens of a remote issuer by JWKS and introspection. */
@Module({
  imports: [
    AuthResourceModule.forRoot({
      issuer: UNROUTABLE_ISSUER,
      audience: API_AUDIENCE,
      introspection: { clientId: 'api', clientSecret: 'api-secret-from-the-vault' },
    }),
  ],
  controllers: [PostsController, AccountController],
})
export class ApiAppModule {}
