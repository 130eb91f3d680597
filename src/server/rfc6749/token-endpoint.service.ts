import { Injectable } from '@nestjs/common';
import { UnauthorizedClientError, UnsupportedGrantTypeError } from '../../errors/oauth-errors.js';
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
 * the client, check the client may use the grant, then hand the allowlisted parameters to the grant.
 */
@Injectable()
export class TokenEndpoint {
  constructor(
    private readonly grants: GrantRegistry,
    private readonly authenticator: ClientAuthenticator,
  ) {}

  async handle(request: ProtocolRequest): Promise<TokenResponse> {
    const params = readFormParameters(request);
    const grant = params.grant_type === undefined ? undefined : this.grants.get(params.grant_type);
    if (!grant) throw new UnsupportedGrantTypeError();
    const { client, method } = await this.authenticator.authenticate(request, params);
    if (!client.grantTypes.includes(grant.grantType) || (method === 'none' && !grant.allowsPublicClients)) {
      throw new UnauthorizedClientError('The client may not use this grant type');
    }
    return grant.handle({ client, authMethod: method, params: pick(params, grant.parameters), request });
  }
}
