/** One cookie as a browser keeps it: enough of RFC 6265 for authnest's interaction and session cookies. */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * The cookies of one simulated browser, for `fetch` with `redirect: 'manual'`. Stores Set-Cookie by name and path,
 * forgets cookies set with `Max-Age=0` (or negative), and sends the cookies whose path matches the request path
 * (RFC 6265 section 5.1.4). Domains, expiry times and Secure are ignored: every request goes to one loopback origin.
 */
export class FlowCookies {
  private readonly cookies: StoredCookie[] = [];

  /** Stores every Set-Cookie of a response. */
  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) this.storeOne(line);
  }

  /** The Cookie header for a request path, or undefined when no cookie matches. */
  header(path: string): string | undefined {
    let header: string | undefined;
    for (const cookie of this.cookies) {
      if (!pathMatches(path, cookie.path)) continue;
      const pair = `${cookie.name}=${cookie.value}`;
      header = header === undefined ? pair : `${header}; ${pair}`;
    }
    return header;
  }

  private storeOne(line: string): void {
    const parts = line.split(';');
    const pair = parts[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = '/';
    let expired = false;
    for (let i = 1; i < parts.length; i++) {
      const attribute = (parts[i] ?? '').trim();
      const lower = attribute.toLowerCase();
      if (lower.startsWith('path=')) path = attribute.slice(5) || '/';
      else if (lower.startsWith('max-age=')) expired = Number(attribute.slice(8)) <= 0;
    }
    const index = this.cookies.findIndex((cookie) => cookie.name === name && cookie.path === path);
    if (index >= 0) this.cookies.splice(index, 1);
    if (!expired) this.cookies.push({ name, value, path });
    // Longest path first, as browsers send them (RFC 6265 section 5.4).
    this.cookies.sort((a, b) => b.path.length - a.path.length);
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}
