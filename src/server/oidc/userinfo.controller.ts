import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { UserInfoEndpoint } from './userinfo-endpoint.service.js';
import { OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { USERINFO_GET_OPERATION, USERINFO_POST_OPERATION } from '../../openapi/userinfo.openapi.js';

/** The UserInfo endpoint (OpenID Connect Core section 5.3): GET and POST. Thin: the steps live in `UserInfoEndpoint`. */
@Public()
@Controller()
@OpenApiTag('openid-connect')
export class UserInfoController {
  constructor(private readonly endpoint: UserInfoEndpoint) {}

  @Get(ENDPOINT_PATHS.userinfo)
  @OpenApiOperation(USERINFO_GET_OPERATION)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  userinfoByGet(@Req() request: ProtocolRequest): Promise<Record<string, unknown>> {
    return this.endpoint.handle(request, 'GET');
  }

  @Post(ENDPOINT_PATHS.userinfo)
  @OpenApiOperation(USERINFO_POST_OPERATION)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  userinfoByPost(@Req() request: ProtocolRequest): Promise<Record<string, unknown>> {
    return this.endpoint.handle(request, 'POST');
  }
}
