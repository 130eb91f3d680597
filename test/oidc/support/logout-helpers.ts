import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { decodeJwt, SignJWT, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { ClientSeed } from '../../../src/index.js';
import { KeyStoreService } from '../../../src/tokens/key-store.service.js';
import { authorizePath, clientRedirect, formOf, pkce, TestBrowser } from '../../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../../support/http.js';
import { expectPageHeaders } from '../../support/page-headers.js';
import { oidcRequest, PAIRWISE_RP, RP, redeemCode, type OidcLogin } from '../../support/oidc-app.js';
import type { TestApp } from '../../support/test-app.js';

export { expectPageHeaders };

/** RP with a second post-logout redirect URI that has a query of its own (kept, `state` appended after it). */
export const LOGOUT_RP: ClientSeed = { ...RP, postLogoutRedirectUris: ['https://rp.test/logged-out', 'https://rp.test/bye?lang=en'] };
/** The pairwise RP, with a post-logout redirect URI. */
export const LOGOUT_PAIRWISE_RP: ClientSeed = { ...PAIRWISE_RP, postLogoutRedirectUris: ['https://pairwise.test/bye'] };
/** A resource server that may introspect. */
export const INTROSPECTOR: ClientSeed = { clientId: 'rs-introspector', clientSecret: 'rs-introspector-secret', scopes: ['posts:read'], allowIntrospection: true };

/** `/oauth/logout?...` with the parameters in order. */
export function logoutPath(params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return query ? `/oauth/logout?${query}` : '/oauth/logout';
}

/** The 400 error page of a refused end-session request: no redirect, no cookie. */
export function expectRefused(res: TestResponse, message?: string): void {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.getSetCookie()).toEqual([]);
  expectPageHeaders(res);
  if (message) expect(res.text).toContain(message);
}

/** The response clears the session cookie (`Max-Age=0`, empty value). */
export function expectSessionCleared(res: TestResponse): void {
  const cookies = res.headers.getSetCookie().filter((line) => line.startsWith('authnest_session='));
  expect(cookies, res.headers.getSetCookie().join('\n')).toHaveLength(1);
  expect(cookies[0]).toMatch(/^authnest_session=;/);
  expect(cookies[0]).toMatch(/;\s*Max-Age=0(;|$)/i);
  expect(cookies[0]).toMatch(/;\s*Path=\/(;|$)/i);
  expect(cookies[0]).toMatch(/;\s*HttpOnly/i);
}

export function isSignedOutPage(res: TestResponse): boolean {
  return res.status === 200 && res.text.includes('<h1>You are signed out</h1>');
}

export function isConfirmationPage(res: TestResponse): boolean {
  return res.status === 200 && res.text.includes('<h1>Sign out?</h1>') && res.text.includes('name="ticket"');
}

/** The action and ticket of a logout confirmation page. */
export function ticketForm(html: string): { action: string; ticket: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !ticket) throw new Error(`no logout form in page: ${html.slice(0, 300)}`);
  return { action, ticket };
}

/**
 * What `prompt=none` answers for a browser (Core 3.1.2.6): `code` while its session is alive and the client is
 * consented, else the error (`login_required` once logged out). Probe with a client the user already approved.
 */
export async function silentAuthorize(browser: TestBrowser, client: ClientSeed): Promise<string> {
  const res = await browser.get(authorizePath(oidcRequest(client, pkce().challenge, { prompt: 'none' })));
  const params = clientRedirect(res, client.redirectUris![0]!);
  return params.get('code') ? 'code' : params.get('error')!;
}

/** A copy of a browser (same cookies), to replay an old session cookie after logout. */
export function cloneBrowser(t: TestApp, browser: TestBrowser): TestBrowser {
  return new TestBrowser(t, browser.jar.clone());
}

/**
 * An OpenID login of `username` for `client` that works with or without a session in `browser`: logs in when the
 * login page comes, approves when the consent page comes, then redeems the code.
 */
export async function signIn(
  t: TestApp,
  client: ClientSeed,
  options: { browser?: TestBrowser; username?: string; extra?: Record<string, string> } = {},
): Promise<OidcLogin> {
  const browser = options.browser ?? new TestBrowser(t);
  const username = options.username ?? 'alice';
  const { verifier, challenge } = pkce();
  const params = oidcRequest(client, challenge, options.extra);
  const redirectUri = client.redirectUris![0]!;
  let res = await browser.get(authorizePath(params));
  for (let step = 0; step < 3 && !(res.headers.get('location') ?? '').startsWith(`${redirectUri}?`); step += 1) {
    const page = await browser.follow(res);
    const form = formOf(page.text);
    res = page.text.includes('name="password"')
      ? await browser.post(form.action, { csrf: form.csrf, username, password: `${username}-password` })
      : await browser.post(form.action, { csrf: form.csrf, decision: 'approve' });
  }
  const code = clientRedirect(res, redirectUri).get('code')!;
  const tokens = await redeemCode(t, client, code, verifier);
  expect(tokens.status, tokens.text).toBe(200);
  const idToken = tokens.body.id_token as string;
  return { browser, params, tokens: tokens.body, idToken, claims: decodeJwt(idToken) };
}

/** RFC 7662 introspection by INTROSPECTOR. */
export function introspect(t: TestApp, token: string): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret!) });
}

/**
 * A JWT signed with the app's own signing key (read from its key store): lets a test present an ID token the
 * protocol never issues (a future `nbf`). Header `typ: JWT` and the key's `kid`, like the app's ID tokens.
 */
export async function signWithAppKey(app: INestApplication, payload: JWTPayload): Promise<string> {
  const key = app.get(KeyStoreService).signingKey();
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

/** The same JWT with one byte of its signature changed. */
export function flipSignatureByte(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** How a receiver path answers. `redirect` answers 302 to `/redirect-target` on the same server. */
export type ReceiverBehaviour = 'ok' | 'no-content' | 'error' | 'hang' | 'redirect';

export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/**
 * A loopback HTTP server standing in for relying parties' back-channel logout endpoints: records every request
 * (method, path, content type, body) and answers per path as told. Hanging requests are held open until `close()`.
 */
export class BackchannelReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly behaviours = new Map<string, ReceiverBehaviour>();
  private readonly held = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<BackchannelReceiver> {
    let receiver: BackchannelReceiver | undefined;
    const server = createServer((req, res) => receiver!.handle(req, res));
    receiver = new BackchannelReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The URL of a path that answers with `behaviour`. */
  uri(path: string, behaviour: ReceiverBehaviour = 'ok'): string {
    this.behaviours.set(path, behaviour);
    return `${this.origin}${path}`;
  }

  /** Requests received on a path. */
  received(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** The logout tokens POSTed to a path. */
  logoutTokens(path: string): string[] {
    return this.received(path).map((request) => new URLSearchParams(request.body).get('logout_token')!);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', this.origin).pathname;
      this.requests.push({ method: req.method ?? '', path, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      switch (this.behaviours.get(path) ?? 'ok') {
        case 'ok':
          return void res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('ok');
        case 'no-content':
          return void res.writeHead(204).end();
        case 'error':
          return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        case 'redirect':
          return void res.writeHead(302, { location: `${this.origin}/redirect-target` }).end();
        case 'hang':
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
      }
    });
  }
}
