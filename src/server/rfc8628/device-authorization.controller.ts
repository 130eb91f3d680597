import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { DeviceAuthorizationEndpoint, type DeviceAuthorizationResponse } from './device-authorization-endpoint.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { DEVICE_AUTHORIZATION_OPERATION } from '../../openapi/device-authorization.openapi.js';

/** The device authorization endpoint (RFC 8628 section 3.1). Thin: the steps live in `DeviceAuthorizationEndpoint`. */
@Public()
@Controller()
@OpenApiTag('oauth2')
export class DeviceAuthorizationController {
  constructor(private readonly endpoint: DeviceAuthorizationEndpoint) {}

  @Post(ENDPOINT_PATHS.deviceAuthorization)
  @OpenApiOperation(DEVICE_AUTHORIZATION_OPERATION)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  authorize(@Req() request: ProtocolRequest): Promise<DeviceAuthorizationResponse> {
    return this.endpoint.handle(request);
  }

  @Get(ENDPOINT_PATHS.deviceAuthorization)
  @OpenApiExclude()
  authorizeByGet(): never {
    throw new InvalidRequestError('The device authorization endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
