import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { DpopNonceHeader } from '../rfc9449/dpop-nonce-header.js';
import type { TokenResponse } from './grants/grant-handler.js';
import { TokenEndpoint } from './token-endpoint.service.js';
import type { ProtocolRequest } from './token-request.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { TOKEN_OPERATION } from '../../openapi/token.openapi.js';

/** The token endpoint (RFC 6749 section 3.2). Thin: the steps live in `TokenEndpoint`. */
@Public()
@Controller()
@OpenApiTag('oauth2')
export class TokenController {
  constructor(
    private readonly endpoint: TokenEndpoint,
    private readonly nonceHeader: DpopNonceHeader,
  ) {}

  @Post(ENDPOINT_PATHS.token)
  @OpenApiOperation(TOKEN_OPERATION)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Req() request: ProtocolRequest, @Res({ passthrough: true }) response: unknown): Promise<TokenResponse> {
    this.nonceHeader.set(response);
    return this.endpoint.handle(request);
  }

  @Get(ENDPOINT_PATHS.token)
  @OpenApiExclude()
  tokenByGet(): never {
    throw new InvalidRequestError('The token endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
