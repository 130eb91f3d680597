import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { constantTimeEqual } from '../../internal/constant-time.js';
import { randomToken } from '../../internal/random.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { isSecureIssuer, publicPath } from '../interaction/browser-cookies.js';
import { CookieSigner } from '../interaction/cookie-signer.service.js';
import type { BrowserRequest } from '../interaction/http/browser-request.js';
import { cookieValues } from '../interaction/http/cookie-header.js';
import type { PageCookie } from '../interaction/http/page-response.js';

/** `__Secure-authnest_device` on https (scoped to the verification page, so not `__Host-`), `authnest_device` on http. */
export function deviceCookieName(issuer: string): string {
  return isSecureIssuer(issuer) ? '__Secure-authnest_device' : 'authnest_device';
}

/** Seconds the verification page's browser cookie lasts. */
const COOKIE_TTL = 86_400;

/**
 * The verification page's browser token: 256 random bits in a signed, HttpOnly, SameSite=Lax cookie scoped to the
 * page. The code form carries the same token (double submit): a cross-site POST has neither the cookie (SameSite)
 * nor a token the attacker could know, and a forged cookie fails its HMAC. The token also keys the per-browser
 * rate limit of code entries.
 */
@Injectable()
export class DeviceBrowser {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly signer: CookieSigner,
  ) {}

  /** The browser's token from a validly signed cookie, or undefined. */
  token(request: BrowserRequest): string | undefined {
    for (const value of cookieValues(request, deviceCookieName(this.options.issuer))) {
      const token = this.signer.verify('device', value);
      if (token) return token;
    }
    return undefined;
  }

  /** The browser's token, or a new one with the cookie that carries it. */
  ensure(request: BrowserRequest): { token: string; cookies: PageCookie[] } {
    const existing = this.token(request);
    if (existing) return { token: existing, cookies: [] };
    const token = randomToken(32);
    const { issuer } = this.options;
    const cookie: PageCookie = {
      name: deviceCookieName(issuer),
      value: this.signer.sign('device', token),
      options: { path: publicPath(issuer, ENDPOINT_PATHS.device), httpOnly: true, sameSite: 'lax', secure: isSecureIssuer(issuer), maxAge: COOKIE_TTL },
    };
    return { token, cookies: [cookie] };
  }

  /** The browser's token when the form's CSRF token is that token (compared in constant time); else undefined. */
  verifiedToken(request: BrowserRequest, csrf: string | undefined): string | undefined {
    const token = this.token(request);
    return token !== undefined && csrf !== undefined && constantTimeEqual(csrf, token) ? token : undefined;
  }
}
