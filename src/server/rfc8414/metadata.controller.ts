import { Controller, Get, Header, Inject } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { GrantRegistry } from '../rfc6749/grants/grant-registry.service.js';
import { supportedCodeChallengeMethods } from '../rfc7636/pkce.js';

/** Authorization server metadata (RFC 8414 section 2): advertises exactly what is implemented. */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  response_types_supported: string[];
  scopes_supported: string[];
  [member: string]: unknown;
}

/** Serves `/.well-known/oauth-authorization-server` (RFC 8414 section 3). */
@Public()
@Controller()
export class MetadataController {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly grants: GrantRegistry,
  ) {}

  @Get(ENDPOINT_PATHS.metadata)
  @Header('Cache-Control', 'public, max-age=300')
  metadata(): AuthorizationServerMetadata {
    const { issuer, scopes } = this.options;
    return {
      issuer,
      token_endpoint: endpointUrl(issuer, ENDPOINT_PATHS.token),
      jwks_uri: endpointUrl(issuer, ENDPOINT_PATHS.jwks),
      grant_types_supported: this.grants.grantTypes(),
      token_endpoint_auth_methods_supported: this.tokenEndpointAuthMethods(),
      authorization_endpoint: endpointUrl(issuer, ENDPOINT_PATHS.authorize),
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      code_challenge_methods_supported: supportedCodeChallengeMethods(this.options.authorization.allowPlainPkce),
      // RFC 9207: every authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
      scopes_supported: scopes,
      revocation_endpoint: endpointUrl(issuer, ENDPOINT_PATHS.revocation),
      // RFC 7009 section 2.1: public clients may revoke their own tokens.
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint: endpointUrl(issuer, ENDPOINT_PATHS.introspection),
      // RFC 7662 section 2.1: introspection needs real client authentication.
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
  }

  /** `none` only when a registered grant accepts public clients. */
  private tokenEndpointAuthMethods(): string[] {
    const publicGrant = this.grants.grantTypes().some((grantType) => this.grants.get(grantType)?.allowsPublicClients);
    return publicGrant ? ['client_secret_basic', 'client_secret_post', 'none'] : ['client_secret_basic', 'client_secret_post'];
  }
}
