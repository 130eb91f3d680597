import { addParameter, type FormParameters, type ProtocolRequest } from '../../rfc6749/token-request.js';

/**
 * The parts of a browser request the authorization endpoint and the interaction pages read. Express and
 * Fastify requests both fit; the protocol core never sees a platform type.
 */
export interface BrowserRequest extends ProtocolRequest {
  method?: string;
  /** Express: path and query as received (before any mount point rewrote `url`). */
  originalUrl?: string;
  /** Fastify and Express: path and query. */
  url?: string;
  /** The client address as the platform determined it (honours the platform's trust-proxy setting). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The raw query string of a request (without `?`), read from the URL rather than a platform's parser. */
function rawQuery(request: BrowserRequest): string {
  const url = request.originalUrl ?? request.url ?? '';
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

/**
 * Reads the query parameters of a GET request with the same rules as `readFormParameters` for bodies:
 * a repeated or structured parameter (`a=1&a=2`, `a[b]=c`) or an oversized value is `invalid_request`;
 * empty values count as absent (RFC 6749 section 3.1).
 */
export function readQueryParameters(request: BrowserRequest): FormParameters {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(rawQuery(request))) {
    // Repeats of `REPEATABLE_PARAMETERS` (RFC 8707 `resource`) are joined; any other repeat is refused.
    addParameter(params, name, value, seen.has(name));
    seen.add(name);
  }
  return params;
}

/** The client address for rate limiting. */
export function clientAddress(request: BrowserRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

/** The single value of a header (the first when a proxy repeated it), or undefined. */
export function headerValue(request: BrowserRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Why a form POST must be refused as cross-site, or undefined. Fetch Metadata first: a browser that sends
 * `Sec-Fetch-Site` must say `same-origin`. Then `Origin`, when it names an origin, must be the issuer's. Our pages
 * send `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` even for same-origin form POSTs,
 * so `null` alone is not a rejection: the binding cookie (SameSite=Lax, never sent on cross-site POSTs) and the
 * CSRF token still have to match.
 */
export function crossSiteRejection(request: BrowserRequest, issuerOrigin: string): string | undefined {
  const site = headerValue(request, 'sec-fetch-site')?.toLowerCase();
  if (site !== undefined && site !== 'same-origin') return 'not a same-origin request';
  const origin = headerValue(request, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== issuerOrigin) return 'foreign origin';
  return undefined;
}
