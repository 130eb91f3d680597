import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DPOP_NONCE_HEADER } from '../../errors/dpop-errors.js';
import { DpopTokenRequests } from './dpop-token-requests.service.js';

/**
 * Puts a fresh `DPoP-Nonce` on every token endpoint response when proofs must carry nonces (RFC 9449 section 8.2: the
 * server may supply a new nonce with any response), so a client rarely needs the `use_dpop_nonce` round trip. The
 * controller calls it before the grant runs, so error responses carry it too. (A plain call rather than an
 * interceptor: an interceptor puts the route through an RxJS pipeline, about 7 % of a token request's time.)
 */
@Injectable()
export class DpopNonceHeader {
  constructor(
    private readonly dpop: DpopTokenRequests,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Sets the header on the platform's response object (Express `res` or Fastify `reply`). */
  set(response: unknown): void {
    const nonce = this.dpop.freshNonce();
    if (nonce !== undefined) this.adapterHost.httpAdapter.setHeader(response, DPOP_NONCE_HEADER, nonce);
  }
}
