import { isIP } from 'node:net';
import { isNonPublicAddress } from '../../internal/public-fetch.js';

/** Name suffixes that never denote a public host (RFC 6761, RFC 6762, RFC 8375, and the cloud-internal `.internal`). */
const NON_PUBLIC_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.home.arpa', '.lan', '.intranet'];

/**
 * Whether a URL's host is obviously not on the public internet, judged from the URL alone (nothing is resolved or
 * fetched at registration): loopback, private, link-local, carrier-grade NAT and other reserved IP literals (the
 * WHATWG parser already turned `2130706433`, `0x7f.1` or `0177.0.0.1` into `127.0.0.1`; IPv4-mapped IPv6 counts as
 * its IPv4), `localhost` and names under local-only suffixes, and single-label names (`http://metadata/`). A public
 * name that resolves to a private address is caught when the URL is fetched.
 */
export function hasNonPublicHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (isIP(host) !== 0) return isNonPublicAddress(host);
  if (host === 'localhost' || !host.includes('.')) return true;
  return NON_PUBLIC_SUFFIXES.some((suffix) => host.endsWith(suffix));
}
