const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.0/8` and `[::1]` hosts. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Parses an absolute URL, or returns undefined. */
export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * An issuer or endpoint URL we accept: https, or http on a loopback host (development);
 * no userinfo, query or fragment.
 */
export function isSafeServerUrl(value: string): boolean {
  const url = tryParseUrl(value);
  if (!url) return false;
  if (url.username || url.password || url.search || url.hash || value.includes('#') || value.includes('?')) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * A redirect URI we accept at registration: absolute, no fragment, no userinfo; https, http on a loopback host,
 * or a private-use scheme (`com.example.app:/cb`, RFC 8252 section 7.1).
 */
export function isAcceptableRedirectUri(value: string): boolean {
  const url = tryParseUrl(value);
  if (!url || url.hash || value.includes('#') || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname);
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol);
}

/**
 * A back-channel logout URI we accept (OpenID Connect Back-Channel Logout 1.0 section 2.2): absolute, https or http
 * on a loopback host, no fragment, no userinfo; a query is allowed.
 */
export function isAcceptableBackchannelUri(value: string): boolean {
  const url = tryParseUrl(value);
  if (!url || url.hash || value.includes('#') || url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
