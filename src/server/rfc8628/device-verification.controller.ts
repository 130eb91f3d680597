import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { BrowserPageFilter } from '../interaction/http/browser-page.filter.js';
import type { BrowserRequest } from '../interaction/http/browser-request.js';
import { PageResponder } from '../interaction/http/page-responder.service.js';
import { DeviceVerification } from './device-verification.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { DEVICE_VERIFICATION_OPERATION } from '../../openapi/browser.openapi.js';

/** The verification page of the device flow (RFC 8628 section 3.3). Thin: the steps live in `DeviceVerification`. */
@Public()
@Controller()
@UseFilters(BrowserPageFilter)
@OpenApiTag('browser')
export class DeviceVerificationController {
  constructor(
    private readonly verification: DeviceVerification,
    private readonly responder: PageResponder,
  ) {}

  @Get(ENDPOINT_PATHS.device)
  @OpenApiOperation(DEVICE_VERIFICATION_OPERATION)
  show(@Req() request: BrowserRequest, @Res() response: unknown): void {
    this.responder.send(response, this.verification.show(request));
  }

  @Post(ENDPOINT_PATHS.device)
  @OpenApiExclude()
  async submit(@Req() request: BrowserRequest, @Res() response: unknown): Promise<void> {
    this.responder.send(response, await this.verification.submit(request));
  }
}
