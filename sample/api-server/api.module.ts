import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthResourceModule, BearerAuthGuard } from 'authnest';
import { DEMO_API, ISSUER } from '../sample.config.js';
import { PostsApiController } from './posts-api.controller.js';

/**
 * A separate API process: no authorization server here, only `AuthResourceModule`. JWTs are verified
 * against the issuer's JWKS; opaque tokens by asking the issuer (RFC 7662) as the `demo-api` client.
 */
@Module({
  imports: [
    AuthResourceModule.forRoot({
      issuer: ISSUER,
      audience: ISSUER,
      introspection: { clientId: DEMO_API.clientId, clientSecret: DEMO_API.clientSecret ?? '' },
    }),
  ],
  controllers: [PostsApiController],
  providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
})
export class ApiModule {}
