import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { PushedAuthorizationEndpoint } from './pushed-authorization-endpoint.service.js';
import type { PushedAuthorizationResponse } from './pushed-requests.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { PUSHED_AUTHORIZATION_OPERATION } from '../../openapi/pushed-authorization.openapi.js';

/** The pushed authorization request endpoint (RFC 9126 section 2). Thin: the steps live in `PushedAuthorizationEndpoint`. */
@Public()
@Controller()
@OpenApiTag('oauth2')
export class PushedAuthorizationController {
  constructor(private readonly endpoint: PushedAuthorizationEndpoint) {}

  /** Section 2.2: 201 Created with the request URI. */
  @Post(ENDPOINT_PATHS.pushedAuthorization)
  @OpenApiOperation(PUSHED_AUTHORIZATION_OPERATION)
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  push(@Req() request: ProtocolRequest): Promise<PushedAuthorizationResponse> {
    return this.endpoint.handle(request);
  }

  /** Section 2.3: only POST. */
  @Get(ENDPOINT_PATHS.pushedAuthorization)
  @OpenApiExclude()
  pushByGet(): never {
    throw new InvalidRequestError('The pushed authorization request endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
