import type { CookieSerializeOptions } from '@nestjs/common';

/** A cookie to set with a response (serialized by the platform adapter). */
export interface PageCookie {
  name: string;
  value: string;
  options: CookieSerializeOptions;
}

/**
 * A complete browser response, independent of Express or Fastify: the authorization endpoint, the
 * interaction pages and `InteractionService.finish()` produce it; `PageResponder` sends it on either platform.
 */
export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  cookies: PageCookie[];
  body: string;
}

/** Headers of every response that carries or leads to authorization data: never cached, never referred. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** A 303 See Other (RFC 9110 section 15.4.4): after a POST the browser follows with GET, never re-POSTs. */
export function seeOther(location: string, cookies: PageCookie[] = []): PageResponse {
  return { status: 303, headers: { ...NO_STORE_HEADERS, Location: location }, cookies, body: '' };
}

/** The same response with more cookies. */
export function withCookies(page: PageResponse, cookies: readonly PageCookie[]): PageResponse {
  return cookies.length === 0 ? page : { ...page, cookies: [...page.cookies, ...cookies] };
}
