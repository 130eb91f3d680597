import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { PROTOCOL_CLAIMS, releasableClaims } from '../oidc/standard-claims.js';
import { GrantRegistry } from '../rfc6749/grants/grant-registry.service.js';
import { supportedCodeChallengeMethods } from '../rfc7636/pkce.js';
import { ASYMMETRIC_ALGORITHMS, HMAC_ALGORITHMS } from '../rfc7523/assertion-checks.js';

/** Client authentication methods every back-channel endpoint takes (RFC 6749 section 2.3, RFC 7523 section 2.2). */
const CONFIDENTIAL_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];
const ASSERTION_ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS];

/** Authorization server metadata (RFC 8414 section 2, OpenID Connect Discovery 1.0 section 3). */
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

/** The claims ID tokens and UserInfo may carry, besides the user claims of the scopes. */
const ID_TOKEN_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'at_hash', 'sid'];

/**
 * One metadata document for both well-known URLs (`/.well-known/oauth-authorization-server` and
 * `/.well-known/openid-configuration`): exactly what is implemented, so a client never tries a feature that is not
 * there (`request_parameter_supported: false` and `request_uri_parameter_supported: false` are said outright: OpenID
 * Connect Discovery defaults the latter to true).
 */
@Injectable()
export class ServerMetadata {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly grants: GrantRegistry,
  ) {}

  document(): AuthorizationServerMetadata {
    const { issuer, scopes } = this.options;
    const url = (path: string) => endpointUrl(issuer, path);
    const userClaims = releasableClaims(this.options.oidc.scopeClaims).filter((claim) => !PROTOCOL_CLAIMS.has(claim));
    return {
      issuer,
      authorization_endpoint: url(ENDPOINT_PATHS.authorize),
      token_endpoint: url(ENDPOINT_PATHS.token),
      userinfo_endpoint: url(ENDPOINT_PATHS.userinfo),
      jwks_uri: url(ENDPOINT_PATHS.jwks),
      end_session_endpoint: url(ENDPOINT_PATHS.endSession),
      revocation_endpoint: url(ENDPOINT_PATHS.revocation),
      introspection_endpoint: url(ENDPOINT_PATHS.introspection),
      // RFC 8628 section 4.
      device_authorization_endpoint: url(ENDPOINT_PATHS.deviceAuthorization),
      // RFC 9126 section 5 (request_uri_parameter_supported stays false: only its own URNs are accepted, none fetched).
      pushed_authorization_request_endpoint: url(ENDPOINT_PATHS.pushedAuthorization),
      require_pushed_authorization_requests: this.options.par.required,
      // RFC 7591 section 3 (RFC 8414 section 2), only where clients may register.
      ...(this.options.registration.mode === 'disabled' ? {} : { registration_endpoint: url(ENDPOINT_PATHS.registration) }),
      scopes_supported: scopes,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      grant_types_supported: this.grants.grantTypes(),
      token_endpoint_auth_methods_supported: this.tokenEndpointAuthMethods(),
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      // RFC 7009 section 2.1: public clients may revoke their own tokens.
      revocation_endpoint_auth_methods_supported: [...CONFIDENTIAL_METHODS, 'none'],
      revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      // RFC 7662 section 2.1: introspection needs real client authentication.
      introspection_endpoint_auth_methods_supported: CONFIDENTIAL_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      code_challenge_methods_supported: supportedCodeChallengeMethods(this.options.authorization.allowPlainPkce),
      // RFC 9449 section 5.1, only with DPoP on.
      ...(this.options.dpop.enabled ? { dpop_signing_alg_values_supported: this.options.dpop.algorithms } : {}),
      // RFC 9207: every authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: [this.options.signing.algorithm],
      claims_supported: [...new Set([...ID_TOKEN_CLAIMS, ...userClaims])],
      claim_types_supported: ['normal'],
      claims_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      prompt_values_supported: ['none', 'login', 'consent'],
      ui_locales_supported: ['en'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      frontchannel_logout_supported: false,
    };
  }

  /** `none` only when a registered grant accepts public clients. */
  private tokenEndpointAuthMethods(): string[] {
    const publicGrant = this.grants.grantTypes().some((grantType) => this.grants.get(grantType)?.allowsPublicClients);
    return publicGrant ? [...CONFIDENTIAL_METHODS, 'none'] : CONFIDENTIAL_METHODS;
  }
}
