/**
 * The `htu` comparison form of an http(s) URI (RFC 9449 section 4.3 step 9, RFC 3986 section 6.2.2 and 6.2.3): scheme
 * and host lowercased, the default port dropped, dot segments removed and percent-encoding made uniform (what the WHATWG
 * URL parser does), query and fragment ignored. Undefined for anything else (not absolute, another scheme, user
 * information).
 */
export function normalizeHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The parts of a Node request (Express's request, Fastify's request or its `raw`) that locate it. */
export interface LocatableRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  raw?: { url?: string; method?: string };
}

/** The request's method, uppercase ('' when unknown). */
export function requestMethod(request: LocatableRequest): string {
  return (request.raw?.method ?? request.method ?? '').toUpperCase();
}

/**
 * The URI a proof for this request must name: the configured public `origin` followed by the path the request line
 * carried (never the `Host` header). Undefined when the request target is not a path (absolute or authority form).
 */
export function requestHtu(origin: string, request: LocatableRequest): string | undefined {
  const target = request.originalUrl ?? request.raw?.url ?? request.url ?? '';
  if (!target.startsWith('/')) return undefined;
  const queryAt = target.search(/[?#]/);
  // Concatenated, not resolved against the origin: `//host/path` stays a path of this origin.
  const url = normalizeHtu(`${origin}${queryAt === -1 ? target : target.slice(0, queryAt)}`);
  return url !== undefined && url.startsWith(`${origin}/`) ? url : undefined;
}
