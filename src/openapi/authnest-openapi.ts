/**
 * The security schemes and tags authnest's operations refer to in a host's OpenAPI document. Plain data, so this file
 * (exported from the package) never needs `@nestjs/swagger`, neither at runtime nor in its types.
 */

/** An OpenAPI security scheme object, as authnest's schemes use it. */
export interface AuthnestSecurityScheme {
  type: 'http' | 'apiKey';
  /** `http` schemes: `basic` or `bearer`. */
  scheme?: 'basic' | 'bearer';
  /** `apiKey` schemes: the header's name. */
  name?: string;
  in?: 'header';
  description: string;
  /** Specification extensions (none of authnest's schemes has any). */
  [extension: `x-${string}`]: unknown;
}

/** Names of the security schemes authnest's operations require (keys of `components.securitySchemes`). */
export const AUTHNEST_SECURITY = {
  /** HTTP Basic with `client_id:client_secret` (RFC 6749 section 2.3.1). */
  clientSecretBasic: 'client_secret_basic',
  /** An access token of this server in `Authorization: Bearer` (RFC 6750 section 2.1). */
  accessToken: 'access_token',
  /** A DPoP proof JWT in the `DPoP` header (RFC 9449 section 4). */
  dpopProof: 'dpop_proof',
  /** An initial access token for the registration endpoint (RFC 7591 section 3). */
  initialAccessToken: 'initial_access_token',
  /** The registration access token of one registered client (RFC 7592 section 3). */
  registrationAccessToken: 'registration_access_token',
} as const;

/** The schemes themselves, by name. */
export const AUTHNEST_SECURITY_SCHEMES: Readonly<Record<(typeof AUTHNEST_SECURITY)[keyof typeof AUTHNEST_SECURITY], AuthnestSecurityScheme>> = {
  client_secret_basic: {
    type: 'http',
    scheme: 'basic',
    description:
      'Client authentication `client_secret_basic` (RFC 6749 section 2.3.1): client_id and client_secret, each form-urlencoded. ' +
      'Clients registered for `client_secret_post`, `client_secret_jwt` or `private_key_jwt` (RFC 7523 section 2.2) send their ' +
      'credentials as body parameters instead, and public clients only their `client_id`.',
  },
  access_token: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An access token this server issued (RFC 6750 section 2.1). A DPoP-bound token is sent as `Authorization: DPoP <token>` ' +
      'with a `DPoP` proof of its key instead (RFC 9449 section 7).',
  },
  dpop_proof: {
    type: 'apiKey',
    in: 'header',
    name: 'DPoP',
    description:
      'A DPoP proof (RFC 9449 section 4): a JWT with `typ: dpop+jwt`, signed with the key in its `jwk` header, whose `htm` and ' +
      '`htu` name this request. Only when the server has the `dpop` option; the tokens issued are then bound to that key.',
  },
  initial_access_token: {
    type: 'http',
    scheme: 'bearer',
    description: 'An initial access token (RFC 7591 section 3), required when `registration.mode` is `initial-access-token`.',
  },
  registration_access_token: {
    type: 'http',
    scheme: 'bearer',
    description: 'The registration access token of the client (RFC 7592 section 3), from its registration response; it rotates on every update.',
  },
};

/** Tags of authnest's operations, with their descriptions. */
export const AUTHNEST_OPENAPI_TAGS = {
  oauth2: 'OAuth 2.0 back-channel endpoints of the authorization server: token (RFC 6749), revocation (RFC 7009), introspection (RFC 7662), device authorization (RFC 8628), pushed authorization requests (RFC 9126).',
  'openid-connect': 'OpenID Connect: the UserInfo endpoint (OpenID Connect Core 1.0 section 5.3).',
  discovery: 'Authorization server metadata (RFC 8414, OpenID Connect Discovery 1.0) and the JWK Set of the signing keys (RFC 7517).',
  'client-registration': 'Dynamic client registration (RFC 7591) and client configuration (RFC 7592), when `registration.mode` enables them.',
  browser: 'Pages a browser is sent to (not called by API clients): the authorization endpoint, RP-initiated logout and the device verification page. They answer HTML or redirects.',
} as const;

/** A tag of authnest's operations. */
export type AuthnestOpenApiTag = keyof typeof AUTHNEST_OPENAPI_TAGS;

/** What `addAuthnestOpenApi` needs of a document builder; `@nestjs/swagger`'s `DocumentBuilder` fits. */
export interface OpenApiDocumentBuilder {
  addSecurity(name: string, scheme: AuthnestSecurityScheme): unknown;
  addTag(name: string, description?: string): unknown;
}

/**
 * Adds authnest's security schemes and tags to an OpenAPI document builder, so that the security requirements of
 * the protocol endpoints resolve:
 *
 * ```ts
 * const config = addAuthnestOpenApi(new DocumentBuilder().setTitle('My API')).build();
 * SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
 * ```
 */
export function addAuthnestOpenApi<B extends OpenApiDocumentBuilder>(builder: B): B {
  for (const [name, scheme] of Object.entries(AUTHNEST_SECURITY_SCHEMES)) builder.addSecurity(name, { ...scheme });
  for (const [name, description] of Object.entries(AUTHNEST_OPENAPI_TAGS)) builder.addTag(name, description);
  return builder;
}
