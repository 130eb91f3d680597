import { Module } from '@nestjs/common';
import { OAuthClientModule } from 'authnest';
import { SAMPLE_CLIENT_URL } from '../sample.config.js';
import { HomeController } from './home.controller.js';

/** The sample authorization server (`npm run sample`) this app logs users in at (AUTH_ISSUER). */
export const AUTH_ISSUER = process.env.AUTH_ISSUER ?? 'http://localhost:3000';

/**
 * DEMO ONLY: `npm run sample:client`, an app that logs its users in at the sample authorization server with
 * `demo-client`, keeps its own session, and calls the sample API as the user (refreshing the token when needed).
 */
@Module({
  imports: [
    OAuthClientModule.forRoot({
      providers: {
        sample: {
          issuer: AUTH_ISSUER,
          clientId: 'demo-client',
          clientSecret: 'demo-secret',
          login: {
            redirectUri: `${SAMPLE_CLIENT_URL}/callback`,
            scopes: ['profile', 'email', 'posts:read'],
            postLogoutRedirectUri: `${SAMPLE_CLIENT_URL}/logged-out`,
          },
        },
      },
      database: { type: 'sqlite', path: process.env.SAMPLE_CLIENT_DB ?? 'data/authnest-client-sample.sqlite' },
      // DEMO ONLY: a fixed secret; a real app reads 32+ random characters from its secret store.
      encryptionSecret: process.env.SAMPLE_CLIENT_SECRET ?? 'demo-only-client-secret-0123456789abcdef',
    }),
  ],
  controllers: [HomeController],
})
export class ClientAppModule {}
