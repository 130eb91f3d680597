import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import { authnestDataSource } from './app-helpers.js';
import { CookieJar } from './cookie-jar.js';
import { request, type TestResponse } from './http.js';

/** A PKCE verifier and its S256 challenge (RFC 7636 section 4.1, 4.2). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `/oauth/authorize?...` with the parameters in order. */
export function authorizePath(params: Record<string, string>): string {
  return `/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

/** The action and CSRF token of the (first) form of a page. */
export function formOf(html: string): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  return { action: action.replace(/&#38;/g, '&'), csrf };
}

/** A browser: a cookie jar, manual redirects, and URLs under the issuer mapped to the test app. */
export class TestBrowser {
  readonly jar: CookieJar;

  constructor(
    private readonly t: { url: string; issuer: string },
    jar?: CookieJar,
  ) {
    this.jar = jar ?? new CookieJar();
  }

  /** The test app's URL for an issuer URL or a path. */
  local(url: string): string {
    if (url.startsWith('/')) return `${this.t.url}${url}`;
    if (url.startsWith(`${this.t.issuer}/`)) return `${this.t.url}${url.slice(this.t.issuer.length)}`;
    return url;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.send(url, { method: 'GET', headers });
  }

  async post(url: string, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<TestResponse> {
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    return this.send(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** GETs the Location of a redirect. */
  follow(res: TestResponse): Promise<TestResponse> {
    expect(res.status, res.text).toBe(303);
    return this.get(res.headers.get('location')!);
  }

  private async send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<TestResponse> {
    const target = this.local(url);
    const cookie = this.jar.header(new URL(target).pathname);
    const res = await request(target, { ...init, headers: { ...(cookie ? { cookie } : {}), ...init.headers } });
    this.jar.store(res.headers);
    return res;
  }
}

/** The parameters of a redirect to the client, asserting a 303 to `redirectUri`. */
export function clientRedirect(res: TestResponse, redirectUri: string): URLSearchParams {
  expect(res.status, res.text).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location.startsWith(`${redirectUri}?`) || location.startsWith(`${redirectUri}&`), location).toBe(true);
  return new URL(location).searchParams;
}

/** GET /authorize, then the login page, then (when shown) the consent page; resolves the last response. */
export async function authorizeWithLogin(
  browser: TestBrowser,
  params: Record<string, string>,
  options: { username?: string; password?: string; decision?: 'approve' | 'deny' } = {},
): Promise<TestResponse> {
  const start = await browser.get(authorizePath(params));
  const page = await browser.follow(start);
  expect(page.status, page.text).toBe(200);
  expect(page.text).toContain('name="password"');
  const login = formOf(page.text);
  const afterLogin = await browser.post(login.action, {
    csrf: login.csrf,
    username: options.username ?? 'alice',
    password: options.password ?? 'alice-password',
  });
  if (afterLogin.status !== 303 || !afterLogin.headers.get('location')?.includes('/oauth/interaction/')) return afterLogin;
  const consent = await browser.follow(afterLogin);
  expect(consent.text).toContain('value="approve"');
  const form = formOf(consent.text);
  return browser.post(form.action, { csrf: form.csrf, decision: options.decision ?? 'approve' });
}

/** Rows of one of authnest's tables, as stored (column names as in the database). */
export async function tableRows(app: INestApplication, entity: string): Promise<Record<string, unknown>[]> {
  const dataSource = authnestDataSource(app);
  return dataSource.query(`SELECT * FROM ${dataSource.getMetadata(entity).tablePath}`) as Promise<Record<string, unknown>[]>;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Follows an authorization URL (as a relying-party library built it) through the builtin login page as alice and,
 * unless consent is remembered, the consent page; resolves where the browser is sent back to the client.
 */
export async function logInAndApprove(browser: TestBrowser, url: string, redirectUri: string): Promise<URL> {
  const login = await browser.follow(await browser.get(url));
  expect(login.text).toContain('name="password"');
  const loginForm = formOf(login.text);
  const afterLogin = await browser.post(loginForm.action, { csrf: loginForm.csrf, username: 'alice', password: 'alice-password' });
  expect(afterLogin.status, afterLogin.text).toBe(303);
  const next = afterLogin.headers.get('location') ?? '';
  if (next.startsWith(redirectUri)) return new URL(next); // consent remembered from an earlier flow
  const consent = await browser.follow(afterLogin);
  const consentForm = formOf(consent.text);
  const done = await browser.post(consentForm.action, { csrf: consentForm.csrf, decision: 'approve' });
  expect(done.status, done.text).toBe(303);
  return new URL(done.headers.get('location')!);
}
