import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { PageResponse } from './page-response.js';

/**
 * Sends a `PageResponse` through Nest's HTTP adapter, so the same code works on Express (`res.set`,
 * `res.append`) and Fastify (`reply.header`). Cookies go through the adapter's `setCookie`, which appends
 * one `Set-Cookie` header per cookie on both platforms. A host controller in `custom` interaction mode uses it
 * to send what `InteractionService.finish()` returned: `responder.send(res, await interactions.finish(id))`.
 */
@Injectable()
export class PageResponder {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  send(response: unknown, page: PageResponse): void {
    const adapter = this.adapterHost.httpAdapter;
    for (const [name, value] of Object.entries(page.headers)) adapter.setHeader(response, name, value);
    for (const cookie of page.cookies) adapter.setCookie(response, cookie.name, cookie.value, cookie.options);
    adapter.reply(response, page.body, page.status);
  }
}
