import type { BrowserRequest } from './browser-request.js';

/**
 * Every value of the cookie `name` in the request's `Cookie` header(s) (RFC 6265 section 5.4), in order.
 * A name may appear more than once (cookies set for different paths); callers check each value.
 * No cookie-parser dependency: the grammar is small and the values we set are base64url.
 */
export function cookieValues(request: BrowserRequest, name: string): string[] {
  const header = request.headers.cookie;
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  const values: string[] = [];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
      let value = pair.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      values.push(safeDecode(value));
    }
  }
  return values;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
