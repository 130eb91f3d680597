import { seeOther, type PageResponse } from '../interaction/http/page-response.js';
import type { AuthorizationErrorCode, RedirectTarget } from './authorization-request.js';
import { formPostPage } from './form-post.page.js';

/** RFC 6749 section 4.1.2.1 limits `error_description` to %x20-21 / %x23-5B / %x5D-7E. */
function safeDescription(description: string): string {
  return description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '');
}

/**
 * Appends parameters to a redirect URI, keeping its query (RFC 6749 section 3.1.2): the registered string is
 * used as is (never re-serialised through a URL parser), values are percent-encoded.
 */
export function appendQuery(uri: string, params: Readonly<Record<string, string>>): string {
  const query = Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  if (!uri.includes('?')) return `${uri}?${query}`;
  return uri.endsWith('?') || uri.endsWith('&') ? `${uri}${query}` : `${uri}&${query}`;
}

/**
 * The response to the client: parameters plus `state` (byte for byte) and `iss` (RFC 9207), as a 303 redirect
 * (query) or an auto-submitting page (form_post).
 */
export function authorizationResponse(issuer: string, target: RedirectTarget, params: Readonly<Record<string, string>>): PageResponse {
  const all: Record<string, string> = { ...params };
  if (target.state !== undefined) all.state = target.state;
  all.iss = issuer;
  return target.responseMode === 'form_post' ? formPostPage(target.redirectUri, all) : seeOther(appendQuery(target.redirectUri, all));
}

/** A successful response (RFC 6749 section 4.1.2). */
export function codeResponse(issuer: string, target: RedirectTarget, code: string): PageResponse {
  return authorizationResponse(issuer, target, { code });
}

/** An error response (RFC 6749 section 4.1.2.1); descriptions are authnest's fixed text. */
export function errorResponse(issuer: string, target: RedirectTarget, code: AuthorizationErrorCode, description: string): PageResponse {
  return authorizationResponse(issuer, target, { error: code, error_description: safeDescription(description) });
}
