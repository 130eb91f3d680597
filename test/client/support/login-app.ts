import { Controller, Get, HttpException, Post, Query, Req, Res, UseGuards, type INestApplication, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import {
  Clock,
  OAuthClientError,
  OAuthClientModule,
  OAuthLogin,
  OAuthSessionGuard,
  OAuthUser,
  PageResponder,
  type BrowserRequest,
  type OAuthClientModuleOptions,
  type OAuthSession,
} from '../../../src/index.js';
import type { Platform } from '../../support/matrix.js';

/** A free loopback port (the client app's callback URL must be registered before the provider boots). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The host app's login routes, as the README shows them. */
@Controller()
export class LoginController {
  constructor(
    private readonly login: OAuthLogin,
    private readonly responder: PageResponder,
  ) {}

  @Get('login')
  async start(@Req() request: BrowserRequest, @Res() response: unknown, @Query('returnTo') returnTo?: string): Promise<void> {
    this.responder.send(response, await this.login.start('provider', request, { returnTo }));
  }

  @Get('callback')
  async callback(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    try {
      this.responder.send(response, (await this.login.finish(request)).response);
    } catch (error) {
      if (error instanceof OAuthClientError) throw new HttpException({ error: error.code }, 400);
      throw error;
    }
  }

  @Get('me')
  @UseGuards(OAuthSessionGuard)
  me(@OAuthUser() session: OAuthSession): Record<string, unknown> {
    return { provider: session.provider, sub: session.sub, name: session.claims.name, email: session.claims.email };
  }

  @Post('logout')
  async logout(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.login.logout(request));
  }
}

/** Boots the client app on `port` with `OAuthClientModule.forRoot(options)` and the login routes. */
export async function bootLoginApp(
  platform: Platform,
  port: number,
  options: OAuthClientModuleOptions,
  clock?: Clock,
  controllers: Type[] = [],
): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [OAuthClientModule.forRoot(options)], controllers: [LoginController, ...controllers] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  await app.listen(port, '127.0.0.1');
  return app;
}
