/**
 * Request ids: every request the app serves (authnest's endpoints, the fast path and the host's own routes) gets an
 * id, echoed in a response header (on error responses too), visible to services as `currentRequestId()`, carried by
 * authnest's events (`requestId`) and prefixed to authnest's log lines made while serving it (`[req=<id>] ...`).
 */
export interface RequestIdOptions {
  /**
   * Gives every request an id. Off by default: on Node 20 the async context that carries the id makes every promise
   * of the process pay for its hooks (measured: 10-20 % fewer token and introspection requests per second). Off: no
   * header, no prefix, and `currentRequestId()` is always undefined.
   * @default false
   */
  enabled?: boolean;
  /**
   * The request header read (when `trustIncoming`) and the response header the id is echoed in: an HTTP header name
   * (an RFC 9110 token of up to 64 characters), compared case-insensitively.
   * @default 'x-request-id'
   */
  header?: string;
  /**
   * Keeps the id a caller (a proxy, a gateway, another service) sent in `header` when it is safe to echo and to log:
   * 1 to 128 characters of `A-Z a-z 0-9 . _ : -`. Anything else (too long, spaces, line breaks, sent twice) is replaced
   * by a fresh random id, as is every incoming id when this is false.
   * @default true
   */
  trustIncoming?: boolean;
}
