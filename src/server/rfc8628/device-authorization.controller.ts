import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { DeviceAuthorizationEndpoint, type DeviceAuthorizationResponse } from './device-authorization-endpoint.service.js';

/** The device authorization endpoint (RFC 8628 section 3.1). Thin: the steps live in `DeviceAuthorizationEndpoint`. */
@Public()
@Controller()
export class DeviceAuthorizationController {
  constructor(private readonly endpoint: DeviceAuthorizationEndpoint) {}

  @Post(ENDPOINT_PATHS.deviceAuthorization)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  authorize(@Req() request: ProtocolRequest): Promise<DeviceAuthorizationResponse> {
    return this.endpoint.handle(request);
  }

  @Get(ENDPOINT_PATHS.deviceAuthorization)
  authorizeByGet(): never {
    throw new InvalidRequestError('The device authorization endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
