import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { DPOP_NONCE_HEADER } from '../../errors/dpop-errors.js';
import { DpopTokenRequests } from './dpop-token-requests.service.js';

/**
 * Puts a fresh `DPoP-Nonce` on every token endpoint response when proofs must carry nonces (RFC 9449 section 8.2: the
 * server may supply a new nonce with any response), so a client rarely needs the `use_dpop_nonce` round trip. Set
 * before the handler runs, so error responses carry it too.
 */
@Injectable()
export class DpopNonceHeader implements NestInterceptor {
  constructor(
    private readonly dpop: DpopTokenRequests,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const nonce = this.dpop.freshNonce();
    if (nonce !== undefined) this.adapterHost.httpAdapter.setHeader(context.switchToHttp().getResponse(), DPOP_NONCE_HEADER, nonce);
    return next.handle();
  }
}
