import type { ProtocolRequest } from './token-request.js';

/** Longest endpoint path reported in events. */
const MAX_PATH = 200;

/** A client id worth repeating in an event: printable ASCII (RFC 6749 Appendix A.1 VSCHARs), as long as the column. */
const REPORTABLE_CLIENT_ID = /^[\x20-\x7E]{1,255}$/;

/**
 * The path a protocol request was sent to, without its query, for events and logs (Express keeps it in
 * `originalUrl`, Fastify and Node's own request in `url`).
 */
export function endpointOf(request: ProtocolRequest): string {
  const { originalUrl, url } = request as { originalUrl?: unknown; url?: unknown };
  const raw = typeof originalUrl === 'string' ? originalUrl : typeof url === 'string' ? url : '';
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  return path.length <= MAX_PATH ? path : path.slice(0, MAX_PATH);
}

/** A client id the caller claimed, when it is one a client could have (else undefined: never echo arbitrary input). */
export function reportedClientId(claimed: string | undefined): string | undefined {
  return claimed !== undefined && REPORTABLE_CLIENT_ID.test(claimed) ? claimed : undefined;
}
