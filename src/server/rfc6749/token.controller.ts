import { Controller, Get, Header, HttpCode, Post, Req, UseInterceptors } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { DpopNonceHeader } from '../rfc9449/dpop-nonce.interceptor.js';
import type { TokenResponse } from './grants/grant-handler.js';
import { TokenEndpoint } from './token-endpoint.service.js';
import type { ProtocolRequest } from './token-request.js';

/** The token endpoint (RFC 6749 section 3.2). Thin: the steps live in `TokenEndpoint`. */
@Public()
@Controller()
export class TokenController {
  constructor(private readonly endpoint: TokenEndpoint) {}

  @Post(ENDPOINT_PATHS.token)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @UseInterceptors(DpopNonceHeader)
  token(@Req() request: ProtocolRequest): Promise<TokenResponse> {
    return this.endpoint.handle(request);
  }

  @Get(ENDPOINT_PATHS.token)
  tokenByGet(): never {
    throw new InvalidRequestError('The token endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }
}
