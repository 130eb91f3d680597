import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { UpstreamError } from './outbound-http.js';

/**
 * Addresses no fetch of a client-supplied URL may reach (SSRF): this host, private networks, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, benchmarking, multicast and reserved ranges, for IPv4 and IPv6,
 * IPv4-mapped IPv6 included.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is outside the public internet; IPv4-mapped IPv6 counts as its IPv4. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(bare);
    if (mapped) {
      const v4 = mapped[1] ?? [parseInt(mapped[2]!, 16) >> 8, parseInt(mapped[2]!, 16) & 255, parseInt(mapped[3]!, 16) >> 8, parseInt(mapped[3]!, 16) & 255].join('.');
      return NON_PUBLIC.check(v4, 'ipv4');
    }
    return NON_PUBLIC.check(bare, 'ipv6');
  }
  return NON_PUBLIC.check(bare, 'ipv4');
}

/** A DNS lookup that fails for names resolving to a non-public address: the check is on the address connected to. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const allowed = addresses.filter((entry) => !isNonPublicAddress(entry.address));
    if (allowed.length === 0) return callback(Object.assign(new Error('non-public address'), { code: 'ENONPUBLIC' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    return callback(null, allowed[0]!.address, allowed[0]!.family);
  });
};

/**
 * A client-supplied URL as it may be called: https, or http only when `allowPrivate`; unless `allowPrivate`, no
 * non-public IP literal (names are checked at connect time by `publicLookup`). Throws an `UpstreamError`.
 */
function publicTarget(url: string, allowPrivate: boolean): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UpstreamError('is not a URL');
  }
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && allowPrivate)) throw new UpstreamError('is not an https URL');
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(literal) !== 0 && isNonPublicAddress(literal)) throw new UpstreamError('points at a non-public address');
  return target;
}

/** Bounds of a fetch of a client-supplied URL. */
export interface PublicFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Lets loopback and private addresses through (tests, closed networks). */
  allowPrivate: boolean;
}

/**
 * GETs a JSON object from a URL a client registered (its `jwks_uri`): https, or http only when `allowPrivate`;
 * unless `allowPrivate`, the host must be public (IP literals checked as written, names at connect time, so DNS
 * rebinding cannot slip a private address in); no redirects; `timeoutMs` for the whole exchange; at most `maxBytes`.
 * Every failure is an `UpstreamError` whose reason names no fetched content.
 */
export function fetchPublicJson(url: string, options: PublicFetchOptions): Promise<Record<string, unknown>> {
  let target: URL;
  try {
    target = publicTarget(url, options.allowPrivate);
  } catch (error) {
    return Promise.reject(error);
  }
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'GET',
      headers: { accept: 'application/jwk-set+json, application/json' },
      lookup: options.allowPrivate ? undefined : publicLookup,
      timeout: options.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new UpstreamError(`did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      if (error instanceof UpstreamError) return reject(error);
      const code = (error as { code?: string }).code;
      reject(new UpstreamError(code === 'ENONPUBLIC' ? 'points at a non-public address' : 'could not be reached'));
    };
    req.on('timeout', () => req.destroy(new UpstreamError(`did not answer within ${options.timeoutMs} ms`)));
    req.on('error', fail);
    req.on('response', (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        return fail(new UpstreamError(`answered HTTP ${response.statusCode}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) req.destroy(new UpstreamError(`answered with a body over ${options.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        try {
          const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
          if (typeof json !== 'object' || json === null || Array.isArray(json)) return reject(new UpstreamError('answered with JSON that is not an object'));
          resolve(json as Record<string, unknown>);
        } catch {
          reject(new UpstreamError('answered with a body that is not JSON'));
        }
      });
    });
    req.end();
  });
}

/**
 * POSTs a form to a URL a client registered (its back-channel logout URI) under the rules of `fetchPublicJson`: a
 * public host unless `allowPrivate` (IP literals as written, names at connect time, so DNS cannot slip a private address
 * in), no redirects, `timeoutMs` for the whole exchange. Resolves the HTTP status; the body is discarded.
 */
export function postPublicForm(url: string, body: string, options: Pick<PublicFetchOptions, 'timeoutMs' | 'allowPrivate'>): Promise<number> {
  let target: URL;
  try {
    target = publicTarget(url, options.allowPrivate);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      lookup: options.allowPrivate ? undefined : publicLookup,
    });
    const timer = setTimeout(() => req.destroy(new UpstreamError(`did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      const code = (error as { code?: string }).code;
      reject(error instanceof UpstreamError ? error : new UpstreamError(code === 'ENONPUBLIC' ? 'points at a non-public address' : 'could not be reached'));
    });
    req.on('response', (response: IncomingMessage) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.end(body);
  });
}
