import { Injectable } from '@nestjs/common';
import { OAuthError } from '../../errors/oauth-error.js';
import { unavailableOnFailure } from '../../errors/unavailable-on-failure.js';
import { AuthorizationRequestValidator } from '../authorize/authorization-request.validator.js';
import { ClientAuthenticator } from '../rfc6749/client-authenticator.service.js';
import { DpopTokenRequests } from '../rfc9449/dpop-token-requests.service.js';
import { readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { pushedParameters } from './pushed-parameters.js';
import { PushedRequests, type PushedAuthorizationResponse } from './pushed-requests.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/**
 * The pushed authorization request endpoint (RFC 9126 section 2) as named steps: read the form (the token endpoint's
 * rules), authenticate the client exactly as the token endpoint does (public clients with `none`), build the
 * parameters to store (`pushedParameters`: no credentials, no `request_uri`, the authenticated `client_id`), validate
 * them by the authorization endpoint's own rules (`AuthorizationRequestValidator`, OpenID Connect's included), then
 * store them. Every refusal is RFC 6749 section 5.2 JSON with the authorization endpoint's error code (section 2.3),
 * never a redirect, and stores nothing; a storage failure is 503 `temporarily_unavailable`.
 */
@Injectable()
export class PushedAuthorizationEndpoint {
  private readonly logger = new AuthLogger();

  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly validator: AuthorizationRequestValidator,
    private readonly requests: PushedRequests,
    private readonly dpop: DpopTokenRequests,
  ) {}

  handle(request: ProtocolRequest): Promise<PushedAuthorizationResponse> {
    return unavailableOnFailure(this.logger, 'Pushed authorization request', () => this.push(request));
  }

  private async push(request: ProtocolRequest): Promise<PushedAuthorizationResponse> {
    const params = readFormParameters(request);
    const { client } = await this.authenticator.authenticate(request, params);
    const parameters = pushedParameters(params, client, await this.dpop.pushedBindingOf(request));
    const validation = await this.validator.validate(parameters);
    if (validation.kind === 'page-error') throw new OAuthError(validation.code ?? 'invalid_request', validation.description, { status: 400 });
    if (validation.kind === 'redirect-error') throw new OAuthError(validation.code, validation.description, { status: 400 });
    return this.requests.push(client.clientId, parameters);
  }
}
