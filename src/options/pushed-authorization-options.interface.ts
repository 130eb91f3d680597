/**
 * Pushed authorization requests (RFC 9126): the endpoint `<issuer>/oauth/par` is always served; these options set how
 * long a pushed request waits for the browser and whether every client must push.
 */
export interface PushedAuthorizationOptions {
  /**
   * Seconds a pushed request's `request_uri` stays usable (`expires_in`), once. RFC 9126 section 2.2 suggests a short
   * lifetime: 10 to 600.
   * @default 60
   */
  ttl?: number;
  /**
   * Every client must push its authorization requests: a plain request to the authorization endpoint is refused
   * (`require_pushed_authorization_requests` in the metadata, RFC 9126 section 5). A client seed's
   * `requirePushedAuthorizationRequests` asks the same of one client.
   * @default false
   */
  required?: boolean;
}
