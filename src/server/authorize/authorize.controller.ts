import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { BrowserPageFilter } from '../interaction/http/browser-page.filter.js';
import type { BrowserRequest } from '../interaction/http/browser-request.js';
import { PageResponder } from '../interaction/http/page-responder.service.js';
import { AuthorizationEndpoint } from './authorization-endpoint.service.js';
import { OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { AUTHORIZE_GET_OPERATION, AUTHORIZE_POST_OPERATION } from '../../openapi/browser.openapi.js';

/** The authorization endpoint (RFC 6749 section 3.1): GET and POST. Thin: the steps live in `AuthorizationEndpoint`. */
@Public()
@Controller()
@UseFilters(BrowserPageFilter)
@OpenApiTag('browser')
export class AuthorizeController {
  constructor(
    private readonly endpoint: AuthorizationEndpoint,
    private readonly responder: PageResponder,
  ) {}

  @Get(ENDPOINT_PATHS.authorize)
  @OpenApiOperation(AUTHORIZE_GET_OPERATION)
  async authorizeByGet(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.endpoint.handle(request, 'GET'));
  }

  @Post(ENDPOINT_PATHS.authorize)
  @OpenApiOperation(AUTHORIZE_POST_OPERATION)
  async authorizeByPost(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.endpoint.handle(request, 'POST'));
  }
}
