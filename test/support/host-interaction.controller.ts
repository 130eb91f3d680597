import { Body, Controller, Get, HttpException, Post, Query, Req, Res } from '@nestjs/common';
import { InteractionError, InteractionService, PageResponder, type BrowserRequest } from '../../src/index.js';

/** InteractionError -> 400 { reason } (what a host would do). */
async function host<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InteractionError) throw new HttpException({ reason: error.reason }, 400);
    throw error;
  }
}

/**
 * The host app's own login and consent controller, built on `InteractionService` (`interaction.mode: 'custom'`),
 * for the code flow and the device flow alike. `POST /host/login` takes an optional `amr` the host's login used.
 */
@Controller('host')
export class HostInteractionController {
  constructor(
    private readonly interactions: InteractionService,
    private readonly responder: PageResponder,
  ) {}

  @Get('login')
  async details(@Query('interaction') id: string, @Req() request: BrowserRequest) {
    return host(async () => ({ ...(await this.interactions.get(id)), bound: this.interactions.verifyBrowser(id, request) }));
  }

  @Post('login')
  async login(@Body() body: { interaction: string; account: string; amr?: string[] }) {
    return host(async () => (await this.interactions.login(body.interaction, body.account, body.amr ? { amr: body.amr } : undefined), { ok: true }));
  }

  @Post('consent')
  async consent(@Body() body: { interaction: string; approved: boolean; scopes?: string[] }) {
    return host(async () => (await this.interactions.consent(body.interaction, body), { ok: true }));
  }

  @Post('finish')
  async finish(@Body() body: { interaction: string }, @Res() response: unknown) {
    this.responder.send(response, await host(() => this.interactions.finish(body.interaction)));
  }
}
