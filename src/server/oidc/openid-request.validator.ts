import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { AuthorizationRedirectError, type AuthorizationRequest } from '../authorize/authorization-request.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import { parseAuthenticationParameters } from './authentication-request.js';
import { parseClaimsParameter } from './claims-request.js';
import { IdTokenHints } from './id-token-hint.service.js';
import { NonceRegistry } from './nonce-registry.service.js';
import { UserClaims } from './user-claims.service.js';

/** The OpenID Connect part of a validated authorization request. */
export type OpenIdRequestFields = Pick<
  AuthorizationRequest,
  'maxAge' | 'loginHint' | 'uiLocales' | 'claimsLocales' | 'acrValues' | 'claims' | 'expectedSubject'
>;

/**
 * Validates the OpenID Connect parameters of an authorization request (OpenID Connect Core section 3.1.2.1). For
 * every request: `max_age`, `login_hint`, `ui_locales`, `claims_locales`, `acr_values`. With the `openid` scope also:
 * `nonce` is required when the request has no PKCE challenge (OAuth 2.1 section 7.5.1) or `oidc.requireNonce` is
 * set, and a nonce the client already used is refused; `claims` must be well formed; `id_token_hint` must be an ID
 * token of this server issued to this client. Each failure is `invalid_request` at the client's redirect URI.
 */
@Injectable()
export class OpenIdRequestValidator {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly hints: IdTokenHints,
    private readonly nonces: NonceRegistry,
    private readonly claims: UserClaims,
  ) {}

  async validate(params: FormParameters, clientId: string, scopes: readonly string[], withPkce: boolean): Promise<OpenIdRequestFields> {
    const fields: OpenIdRequestFields = parseAuthenticationParameters(params);
    if (!scopes.includes('openid')) return fields;
    if (params.nonce === undefined && (this.options.oidc.requireNonce || !withPkce)) {
      throw new AuthorizationRedirectError('invalid_request', 'The nonce parameter is required');
    }
    if (params.nonce !== undefined && (await this.nonces.wasUsed(clientId, params.nonce))) {
      throw new AuthorizationRedirectError('invalid_request', 'The nonce was used before');
    }
    const claims = parseClaimsParameter(params.claims, this.claims.supported);
    if (claims.userinfo.length > 0 || claims.idToken.length > 0) fields.claims = { userinfo: claims.userinfo, idToken: claims.idToken };
    let expected = claims.subject;
    if (params.id_token_hint !== undefined) {
      const hint = await this.hints.verify(params.id_token_hint);
      if (!hint || !hint.audiences.includes(clientId)) throw new AuthorizationRedirectError('invalid_request', 'The id_token_hint is invalid');
      if (expected !== undefined && expected !== hint.sub) {
        throw new AuthorizationRedirectError('invalid_request', 'The id_token_hint and the sub of the claims parameter differ');
      }
      expected = hint.sub;
    }
    if (expected !== undefined) fields.expectedSubject = expected;
    return fields;
  }
}
