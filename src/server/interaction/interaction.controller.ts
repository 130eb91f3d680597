import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { BrowserPageFilter } from './http/browser-page.filter.js';
import type { BrowserRequest } from './http/browser-request.js';
import { PageResponder } from './http/page-responder.service.js';
import { InteractionPages } from './interaction-pages.service.js';
import { OpenApiExcludeController } from '../../openapi/openapi-decorators.js';

/** The builtin login and consent pages of an interaction. Thin: the steps live in `InteractionPages`. */
@Public()
@Controller()
@UseFilters(BrowserPageFilter)
@OpenApiExcludeController()
export class InteractionController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly responder: PageResponder,
  ) {}

  @Get(ENDPOINT_PATHS.interaction)
  async show(@Param('id') id: string, @Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.pages.show(request, id));
  }

  @Post(ENDPOINT_PATHS.interactionLogin)
  async login(@Param('id') id: string, @Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.pages.login(request, id));
  }

  @Post(ENDPOINT_PATHS.interactionConsent)
  async consent(@Param('id') id: string, @Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.pages.consent(request, id));
  }
}
