import { Injectable } from '@nestjs/common';
import { UnauthorizedClientError, UnsupportedGrantTypeError } from '../../errors/oauth-errors.js';
import { TokenIssuanceEvents } from '../../events/token-issuance-events.service.js';
import { DpopTokenRequests } from '../rfc9449/dpop-token-requests.service.js';
import { ClientAuthenticator } from './client-authenticator.service.js';
import type { TokenResponse } from './grants/grant-handler.js';
import { GrantRegistry } from './grants/grant-registry.service.js';
import { readFormParameters, type FormParameters, type ProtocolRequest } from './token-request.js';

function pick(params: FormParameters, names: readonly string[]): FormParameters {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = params[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/**
 * The token endpoint as named steps (RFC 6749 section 3.2): parse the form, find the grant, authenticate
 * the client, check the client may use the grant, check its DPoP proof (RFC 9449 section 5), then hand the
 * allowlisted parameters and the proof's key thumbprint to the grant. Every token response is reported as an
 * `authnest.token.issued` event (and `authnest.token.refreshed` for the refresh grant), controller and fast path alike.
 */
@Injectable()
export class TokenEndpoint {
  constructor(
    private readonly grants: GrantRegistry,
    private readonly authenticator: ClientAuthenticator,
    private readonly dpop: DpopTokenRequests,
    private readonly issuance: TokenIssuanceEvents,
  ) {}

  async handle(request: ProtocolRequest): Promise<TokenResponse> {
    const params = readFormParameters(request);
    const grant = params.grant_type === undefined ? undefined : this.grants.get(params.grant_type);
    if (!grant) throw new UnsupportedGrantTypeError();
    const { client, method } = await this.authenticator.authenticate(request, params);
    if (!client.grantTypes.includes(grant.grantType) || (method === 'none' && !grant.allowsPublicClients)) {
      throw new UnauthorizedClientError('The client may not use this grant type');
    }
    const dpopJkt = await this.dpop.bindingOf(request, client);
    const response = await grant.handle({ client, authMethod: method, params: pick(params, grant.parameters), request, dpopJkt });
    this.issuance.report(client.clientId, grant.grantType, response);
    return response;
  }
}
