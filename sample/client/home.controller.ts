import { Controller, Get, Header, HttpException, Post, Req, Res } from '@nestjs/common';
import { OAuthClientError, OAuthLogin, OAuthSessionTokens, OAuthUserInfo, PageResponder, type BrowserRequest } from 'authnest';
import { AUTH_ISSUER } from './client-app.module.js';

const escape = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>authnest sample client</title></head><body>${body}</body></html>`;

/** The sample client's pages: who is signed in, sign in and out, and the API called as the user. */
@Controller()
export class HomeController {
  constructor(
    private readonly login: OAuthLogin,
    private readonly tokens: OAuthSessionTokens,
    private readonly userInfo: OAuthUserInfo,
    private readonly responder: PageResponder,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(@Req() request: BrowserRequest): Promise<string> {
    const session = await this.login.session(request);
    if (!session) return page('<h1>Not signed in</h1><p><a href="/login">Sign in with the sample server</a></p>');
    // UserInfo, cached in the store for userInfoTtl; the login's claims when the provider cannot be asked.
    const claims = (await this.userInfo.get(request).catch(() => undefined)) ?? session.claims;
    return page(
      `<h1>Signed in as ${escape(claims.name ?? session.sub)}</h1><p>${escape(claims.email ?? '')}</p>` +
        '<p><a href="/posts">Call the API as you</a></p><form method="post" action="/logout"><button>Sign out</button></form>',
    );
  }

  @Get('login')
  async start(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.login.start('sample', request, { returnTo: '/' }));
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

  /** The sample API's posts, fetched with the signed-in user's access token (refreshed when near expiry). */
  @Get('posts')
  async posts(@Req() request: BrowserRequest): Promise<unknown> {
    const res = await this.tokens.fetch(request, `${AUTH_ISSUER}/api/posts`);
    if (!res) throw new HttpException({ error: 'login_required' }, 401);
    return { status: res.status, posts: res.ok ? await res.json() : null };
  }

  @Post('logout')
  async logout(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.login.logout(request));
  }

  @Get('logged-out')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loggedOut(): string {
    return page('<h1>Signed out</h1><p><a href="/">Home</a></p>');
  }
}
