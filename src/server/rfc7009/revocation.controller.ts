import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { RevocationEndpoint } from './revocation-endpoint.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { REVOCATION_OPERATION } from '../../openapi/revocation.openapi.js';

/**
 * The revocation endpoint (RFC 7009 section 2). Success is 200 with an empty JSON object `{}` (the RFC needs no
 * content; `{}` keeps clients that always parse JSON happy, as Authlib does), with `Cache-Control: no-store`.
 */
@Public()
@Controller()
@OpenApiTag('oauth2')
export class RevocationController {
  constructor(private readonly endpoint: RevocationEndpoint) {}

  @Post(ENDPOINT_PATHS.revocation)
  @OpenApiOperation(REVOCATION_OPERATION)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async revoke(@Req() request: ProtocolRequest): Promise<Record<string, never>> {
    await this.endpoint.handle(request);
    return {};
  }

  @Get(ENDPOINT_PATHS.revocation)
  @OpenApiExclude()
  revokeByGet(): never {
    throw new InvalidRequestError('The revocation endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
