import type { AccessTokenFormat } from './auth-options.interface.js';

/**
 * A resource server clients may name with the `resource` parameter (RFC 8707): the authorization endpoint, the
 * authorization code, refresh token and client credentials grants then issue access tokens restricted to it
 * (`aud` = `uri`, only its scopes, its format and lifetime).
 *
 * A scope listed by no resource stays a scope of the default audience (`accessToken.audience`, or the client's
 * `audience`): `openid`, `profile`, `offline_access` and the host's own API scopes, typically.
 */
export interface ResourceServerOptions {
  /**
   * The resource indicator: an absolute URI without fragment (RFC 8707 section 2), e.g. `https://api.example.com`
   * or `urn:example:billing`, at most 1024 characters. Requests must send it exactly (no normalisation). It is the
   * `aud` of the resource's access tokens, so configure the resource server (`AuthResourceModule`) with it.
   */
  uri: string;
  /**
   * The scopes this resource understands; each must be in the server's `scopes`. A token for the resource carries
   * only these (RFC 8707 section 2.2 downscoping). Several resources may share a scope.
   */
  scopes: string[];
  /**
   * The format of this resource's access tokens: `jwt` when it verifies them with the JWKS, `opaque` when it
   * introspects them.
   * @default the client's `accessTokenFormat`, else `accessToken.format`
   */
  accessTokenFormat?: AccessTokenFormat;
  /**
   * Lifetime in seconds of this resource's access tokens (30 to 86400).
   * @default `accessToken.ttl`
   */
  accessTokenTtl?: number;
}
