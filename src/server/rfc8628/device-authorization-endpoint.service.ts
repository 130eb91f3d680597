import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { UnauthorizedClientError } from '../../errors/oauth-errors.js';
import { unavailableOnFailure } from '../../errors/unavailable-on-failure.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { appendQuery } from '../authorize/authorization-response.js';
import { ClientAuthenticator } from '../rfc6749/client-authenticator.service.js';
import { grantableScopes } from '../rfc6749/scope-policy.js';
import { readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { requestedResources, ResourceIndicators } from '../rfc8707/resource-indicators.service.js';
import { DEVICE_CODE_GRANT_TYPE, DeviceCodes } from './device-codes.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** The device authorization response (RFC 8628 section 3.2). */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * The device authorization endpoint (RFC 8628 section 3.1, 3.2) as named steps: read the form (the token endpoint's
 * rules: form-encoded only, no repeated or structured parameter), authenticate the client exactly as the token
 * endpoint does (public clients with `none`), require the device grant (`unauthorized_client`), check `scope` like
 * every grant (`grantableScopes`), then create the codes. Errors are RFC 6749 section 5.2 JSON; a storage failure is
 * 503 `temporarily_unavailable` (the device may try again), never a response with codes that were not stored.
 */
@Injectable()
export class DeviceAuthorizationEndpoint {
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly authenticator: ClientAuthenticator,
    private readonly devices: DeviceCodes,
    private readonly resourceIndicators: ResourceIndicators,
  ) {}

  handle(request: ProtocolRequest): Promise<DeviceAuthorizationResponse> {
    return unavailableOnFailure(this.logger, 'Device authorization', () => this.authorize(request));
  }

  private async authorize(request: ProtocolRequest): Promise<DeviceAuthorizationResponse> {
    const params = readFormParameters(request);
    const { client } = await this.authenticator.authenticate(request, params);
    if (!client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)) throw new UnauthorizedClientError('The client may not use the device authorization grant');
    // RFC 8707 section 2.1, as at the authorization endpoint: invalid_target / invalid_scope.
    const resources = this.resourceIndicators.resolve(client, requestedResources(params));
    const scopes = this.resourceIndicators.authorizationScopes(resources, grantableScopes(params.scope, client, this.options.scopes), params.scope !== undefined);
    const created = await this.devices.create(client.clientId, scopes, resources.map((resource) => resource.uri));
    const { verificationUri } = this.options.deviceFlow;
    return {
      device_code: created.deviceCode,
      user_code: created.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: appendQuery(verificationUri, { user_code: created.userCode }),
      expires_in: created.expiresIn,
      interval: created.interval,
    };
  }
}
