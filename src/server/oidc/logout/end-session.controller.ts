import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Public } from '../../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../../endpoint-paths.js';
import { BrowserPageFilter } from '../../interaction/http/browser-page.filter.js';
import type { BrowserRequest } from '../../interaction/http/browser-request.js';
import { PageResponder } from '../../interaction/http/page-responder.service.js';
import { EndSessionEndpoint } from './end-session.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../../openapi/openapi-decorators.js';
import { END_SESSION_GET_OPERATION, END_SESSION_POST_OPERATION } from '../../../openapi/browser.openapi.js';

/** RP-initiated logout (end_session_endpoint) and its confirmation form. Thin: the steps live in `EndSessionEndpoint`. */
@Public()
@Controller()
@UseFilters(BrowserPageFilter)
@OpenApiTag('browser')
export class EndSessionController {
  constructor(
    private readonly endpoint: EndSessionEndpoint,
    private readonly responder: PageResponder,
  ) {}

  @Get(ENDPOINT_PATHS.endSession)
  @OpenApiOperation(END_SESSION_GET_OPERATION)
  async endSessionByGet(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.endpoint.handle(request, 'GET'));
  }

  @Post(ENDPOINT_PATHS.endSession)
  @OpenApiOperation(END_SESSION_POST_OPERATION)
  async endSessionByPost(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.endpoint.handle(request, 'POST'));
  }

  @Post(ENDPOINT_PATHS.endSessionConfirm)
  @OpenApiExclude()
  async confirm(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.endpoint.confirm(request));
  }
}
