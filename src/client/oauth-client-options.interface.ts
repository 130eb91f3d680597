/** How the client authenticates at the provider's token endpoint (RFC 6749 section 2.3, RFC 7591 section 2). */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Endpoints given by hand; each one set here wins over discovery. All https, or http on a loopback host. */
export interface ProviderEndpoints {
  /** @default the discovered `token_endpoint` */
  token?: string;
  /** @default the discovered `authorization_endpoint` */
  authorization?: string;
  /** @default the discovered `userinfo_endpoint` */
  userinfo?: string;
  /** @default the discovered `jwks_uri` */
  jwks?: string;
  /** @default the discovered `revocation_endpoint` */
  revocation?: string;
}

/** One authorization server this app is a client of. */
export interface OAuthProviderOptions {
  /**
   * The provider's issuer identifier. Its metadata is discovered at `${issuer}/.well-known/openid-configuration`
   * (OpenID Connect Discovery), or else `/.well-known/oauth-authorization-server` (RFC 8414), once, and its
   * `issuer` must equal this value. Give `issuer`, or `endpoints.token`, or both.
   * @default undefined
   */
  issuer?: string;
  /** @default {} (everything discovered) */
  endpoints?: ProviderEndpoints;
  /** This app's `client_id` at the provider. */
  clientId: string;
  /**
   * This app's client secret (confidential clients); sent only to the provider's token endpoint.
   * @default undefined
   */
  clientSecret?: string;
  /**
   * @default 'client_secret_basic' with a secret, 'none' without
   */
  authMethod?: ClientAuthenticationMethod;
  /**
   * Scopes asked for when a call names none.
   * @default []
   */
  scopes?: string[];
}

/** Options of `OAuthClientModule.forRoot()` / `forRootAsync()`. Validated at boot. */
export interface OAuthClientModuleOptions {
  /** The providers by name: `@InjectOAuthClient('name')` or `OAuthClients.get('name')`. */
  providers: Record<string, OAuthProviderOptions>;
  /**
   * Milliseconds each request to a provider may take (metadata, tokens, APIs called through `fetch`).
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Seconds before its expiry when a cached access token is replaced by a new one.
   * @default 30
   */
  refreshSkew?: number;
}
