import fc from 'fast-check';
import { REDIRECT } from '../grants/grant-helpers.js';
import { authorizePath, authorizeWithLogin, clientRedirect, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import type { TestApp } from '../support/test-app.js';
import { codeForm } from '../rfc8628/support/device-app.js';
import { RP } from './fuzz-app.js';

/** A code request of `RP` that starts the builtin login. */
function rpRequest(extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, response_type: 'code', client_id: RP.clientId, redirect_uri: REDIRECT, scope: 'openid a', state: 'st', nonce: `n-${Math.random()}`, code_challenge: pkce().challenge, code_challenge_method: 'S256' };
}

/** A browser signed in as alice (through the builtin login and consent of `RP`). */
export async function signedIn(t: TestApp): Promise<TestBrowser> {
  const browser = new TestBrowser(t);
  clientRedirect(await authorizeWithLogin(browser, rpRequest()), REDIRECT);
  return browser;
}

/**
 * Alice's browser session, signed in again on demand: a fuzz request that ends the session (a logout) or changes it
 * makes the holder forget it.
 */
export class SessionHolder {
  private browser?: Promise<TestBrowser>;

  constructor(private readonly t: TestApp) {}

  session(): Promise<TestBrowser> {
    this.browser ??= signedIn(this.t);
    return this.browser;
  }

  forget(): void {
    this.browser = undefined;
  }
}

/** A browser on the login page of a new interaction: the form's action and CSRF token, and the interaction's id. */
export interface OpenForm {
  browser: TestBrowser;
  action: string;
  csrf: string;
  interaction: string;
}

function interactionOf(action: string): string {
  return /\/oauth\/interaction\/([^/]+)\//.exec(action)?.[1] ?? '';
}

/** A new interaction of `RP`, on its login page (`prompt`: `consent` asks for consent even when alice gave it before). */
export async function loginForm(t: TestApp, prompt?: 'consent'): Promise<OpenForm> {
  const browser = new TestBrowser(t);
  const page = await browser.follow(await browser.get(authorizePath(rpRequest(prompt ? { prompt } : {}))));
  const form = formOf(page.text);
  return { browser, ...form, interaction: interactionOf(form.action) };
}

/** A new interaction of `RP`, alice signed in, on its consent page. */
export async function consentForm(t: TestApp): Promise<OpenForm> {
  const login = await loginForm(t, 'consent');
  const afterLogin = await login.browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' });
  const form = formOf((await login.browser.follow(afterLogin)).text);
  return { browser: login.browser, ...form, interaction: interactionOf(form.action) };
}

/** A browser on the device verification page: its form. */
export async function deviceForm(t: TestApp): Promise<OpenForm> {
  const browser = new TestBrowser(t);
  const form = await codeForm(browser);
  return { browser, action: form.action, csrf: form.csrf, interaction: '' };
}

/** Which cookies a fuzzed browser request carries: the browser's own, none, or its own tampered with. */
export type CookieMode = 'own' | 'none' | 'tampered';
export const cookieModes: fc.Arbitrary<CookieMode> = fc.oneof({ arbitrary: fc.constant<CookieMode>('own'), weight: 6 }, { arbitrary: fc.constantFrom<CookieMode>('none', 'tampered'), weight: 1 });

/** The Cookie header a browser sends to `path` in a mode (tampered: the last character of every value changed). */
export function cookieHeader(browser: TestBrowser, path: string, mode: CookieMode): Record<string, string> {
  const cookie = browser.jar.header(path);
  if (!cookie || mode === 'none') return {};
  if (mode === 'own') return { cookie };
  return { cookie: cookie.replace(/(=[^;]*?)(.)(;|$)/g, (_all, head: string, last: string, tail: string) => `${head}${last === 'A' ? 'B' : 'A'}${tail}`) };
}
