import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidScopeError } from '../../errors/oauth-errors.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { OpenIdRequestValidator } from '../oidc/openid-request.validator.js';
import { grantableScopes } from '../rfc6749/scope-policy.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import {
  AuthorizationRedirectError,
  type AuthorizationErrorCode,
  type AuthorizationRequest,
  type RedirectTarget,
} from './authorization-request.js';
import { pkceParameters } from './pkce-parameters.js';
import { checkResponseType, offlineAccessRule, parsePrompt, responseModeOf } from './request-parameters.js';
import { isConfidentialClient } from '../clients/client-kind.js';
import { authorizationResources } from '../rfc8707/authorization-resources.js';
import { ResourceIndicators } from '../rfc8707/resource-indicators.service.js';
import { dpopJktParameter } from '../rfc9449/dpop-jkt.js';

/** The outcome of validating an authorization request. */
export type AuthorizationValidation =
  | { kind: 'valid'; client: ClientEntity; request: AuthorizationRequest }
  /** The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 section 4.1.2.1). */
  | { kind: 'page-error'; description: string; code?: AuthorizationErrorCode }
  /** Everything else goes back to the client's validated redirect URI. */
  | { kind: 'redirect-error'; target: RedirectTarget; code: AuthorizationErrorCode; description: string };

/**
 * Validates an authorization request (RFC 6749 section 4.1.1, OAuth 2.1 section 4.1.1) in the order that
 * decides where errors go: first the client and the redirect URI (errors shown as a page), then everything
 * else (errors redirected to the client with `state` and `iss`).
 */
@Injectable()
export class AuthorizationRequestValidator {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clients: ClientStore,
    private readonly openId: OpenIdRequestValidator,
    private readonly resourceIndicators: ResourceIndicators,
  ) {}

  async validate(params: FormParameters): Promise<AuthorizationValidation> {
    const clientId = params.client_id;
    if (clientId === undefined) return { kind: 'page-error', description: 'The request names no client (client_id is missing).' };
    const client = await this.clients.findById(clientId);
    if (!client || client.disabled) return { kind: 'page-error', description: 'The client is unknown or disabled.' };
    const redirect = this.redirectUriOf(client, params.redirect_uri, (params.scope ?? '').split(' ').includes('openid'));
    if (typeof redirect === 'string') return { kind: 'page-error', description: redirect };

    const responseMode = responseModeOf(params.response_mode);
    const target: RedirectTarget = { redirectUri: redirect.uri, responseMode: responseMode ?? 'query', state: params.state };
    try {
      if (!responseMode) throw new AuthorizationRedirectError('invalid_request', 'The response_mode is not supported');
      return { kind: 'valid', client, request: await this.validateForClient(client, params, target, redirect.sent) };
    } catch (error) {
      const refused = error instanceof AuthorizationRedirectError ? error : error instanceof InvalidScopeError ? { code: 'invalid_scope' as const, description: error.description } : undefined;
      if (!refused) throw error;
      // A self-registered client's redirect URI is anyone's: an error before the user did anything is shown, never
      // redirected, or the server would be an open redirector for whoever registers (RFC 9700 section 4.11.2).
      if (client.registeredAt !== null) return { kind: 'page-error', description: refused.description, code: refused.code };
      return { kind: 'redirect-error', target, code: refused.code, description: refused.description };
    }
  }

  /**
   * Exact string comparison with the registered URIs (RFC 9700 section 4.1.3): no case folding, no
   * default-port or percent-decoding normalisation. Omitted: the client's only URI, if it has exactly one, except in
   * an OpenID request, where redirect_uri is REQUIRED (OpenID Connect Core section 3.1.2.1).
   */
  private redirectUriOf(client: ClientEntity, sent: string | undefined, openId: boolean): { uri: string; sent: boolean } | string {
    if (sent !== undefined) {
      return client.redirectUris.includes(sent) ? { uri: sent, sent: true } : 'The redirect URI is not registered for this client.';
    }
    if (openId) return 'An OpenID Connect request must name its redirect URI (redirect_uri is missing).';
    const [only, ...others] = client.redirectUris;
    if (only !== undefined && others.length === 0) return { uri: only, sent: false };
    return 'The request must name one of the redirect URIs registered for this client (redirect_uri is missing).';
  }

  private async validateForClient(
    client: ClientEntity,
    params: FormParameters,
    target: RedirectTarget,
    redirectUriSent: boolean,
  ): Promise<AuthorizationRequest> {
    checkResponseType(params.response_type);
    if (!client.grantTypes.includes('authorization_code')) {
      throw new AuthorizationRedirectError('unauthorized_client', 'The client may not use the authorization code grant');
    }
    const prompt = parsePrompt(params.prompt);
    const indicated = authorizationResources(this.resourceIndicators, client, params, grantableScopes(params.scope, client, this.options.scopes));
    const scopes = offlineAccessRule(indicated.scopes, prompt, client.firstParty);
    const pkce = pkceParameters(params, !isConfidentialClient(client), this.options.authorization);
    const openId = await this.openId.validate(params, client.clientId, scopes, pkce.codeChallenge !== undefined);
    const dpop = dpopJktParameter(params, this.options.dpop.enabled);
    return { ...target, clientId: client.clientId, redirectUriSent, scopes, ...pkce, nonce: params.nonce, prompt, ...openId, resources: indicated.resources, ...dpop };
  }
}
