import { tryParseUrl } from '../../internal/url-rules.js';

/** Longest resource indicator accepted (the `audience` column of access tokens holds 1024 characters). */
export const MAX_RESOURCE_LENGTH = 1024;

/** Most distinct `resource` values one request may name; more is `invalid_target` before anything is looked up. */
export const MAX_RESOURCES_PER_REQUEST = 10;

/**
 * A syntactically valid resource indicator (RFC 8707 section 2): an absolute URI (a scheme, printable ASCII, no
 * spaces) without fragment and without userinfo, at most 1024 characters. A query is allowed (the RFC only
 * discourages it). Requests are matched against the configured resources by exact string comparison.
 */
export function isResourceIndicator(value: string): boolean {
  if (value.length > MAX_RESOURCE_LENGTH || !/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7E]+$/.test(value) || value.includes('#')) return false;
  const url = tryParseUrl(value);
  return url !== undefined && url.username === '' && url.password === '';
}
