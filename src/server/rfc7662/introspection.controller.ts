import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { IntrospectionEndpoint, type IntrospectionResponse } from './introspection-endpoint.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { INTROSPECTION_OPERATION } from '../../openapi/introspection.openapi.js';

/** The introspection endpoint (RFC 7662 section 2). Answers are never cached (`Cache-Control: no-store`, section 4). */
@Public()
@Controller()
@OpenApiTag('oauth2')
export class IntrospectionController {
  constructor(private readonly endpoint: IntrospectionEndpoint) {}

  @Post(ENDPOINT_PATHS.introspection)
  @OpenApiOperation(INTROSPECTION_OPERATION)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  introspect(@Req() request: ProtocolRequest): Promise<IntrospectionResponse> {
    return this.endpoint.handle(request);
  }

  @Get(ENDPOINT_PATHS.introspection)
  @OpenApiExclude()
  introspectByGet(): never {
    throw new InvalidRequestError('The introspection endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
