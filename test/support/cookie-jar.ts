interface JarCookie {
  name: string;
  value: string;
  path: string;
  attributes: string[];
}

/**
 * A tiny browser cookie jar for `fetch` with `redirect: 'manual'`: stores Set-Cookie by name and path, drops
 * expired ones, and sends the cookies whose path matches the request (RFC 6265 section 5.1.4), longest path first.
 */
export class CookieJar {
  private cookies: JarCookie[] = [];

  /** Stores every Set-Cookie of a response. */
  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.path === path));
      const expired = attributes.some((a) => /^max-age=(0|-)/i.test(a));
      if (!expired) this.cookies.push({ name, value, path, attributes });
    }
  }

  /** The Cookie header for a request path, or undefined. */
  header(path: string): string | undefined {
    const matching = this.cookies
      .filter((cookie) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length > 0 ? matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') : undefined;
  }

  /** The stored cookie with this name (the first one), for assertions. */
  get(name: string): JarCookie | undefined {
    return this.cookies.find((cookie) => cookie.name === name);
  }

  all(): readonly JarCookie[] {
    return this.cookies;
  }

  /** Replaces a cookie's value (to tamper in tests) or removes it (value undefined). */
  set(name: string, value: string | undefined): void {
    for (const cookie of this.cookies) if (cookie.name === name && value !== undefined) cookie.value = value;
    if (value === undefined) this.cookies = this.cookies.filter((cookie) => cookie.name !== name);
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    copy.cookies = this.cookies.map((cookie) => ({ ...cookie, attributes: [...cookie.attributes] }));
    return copy;
  }
}
