import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidDpopProofError, UseDpopNonceError } from '../../errors/dpop-errors.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { DpopNonceRequired, DpopProofChecker, dpopHeader } from './dpop-proof-checker.js';
import { DpopProofProblem } from './dpop-proof.js';
import { normalizeHtu } from './htu.js';

/** DI token of the `DpopProofChecker` of `AuthModule` (database replay store, nonces when required). */
export const DPOP_PROOF_CHECKER = Symbol('authnest:dpop-proof-checker');

/**
 * DPoP at the token endpoint (RFC 9449 section 5). With DPoP on, a request with a `DPoP` header must carry one valid
 * proof for `POST` to the token endpoint's public URL (built from the configured issuer, never from the request's
 * headers); its key's thumbprint is what the grant binds the tokens to. A request without a proof gets bearer tokens,
 * unless `dpop.required` or the client's `dpopBoundAccessTokens` says it must send one: then `invalid_dpop_proof`
 * (RFC 9449 names no other code; it tells a DPoP client exactly what to fix). With DPoP off the header is ignored.
 */
@Injectable()
export class DpopTokenRequests {
  private readonly htu: string;
  private readonly pushHtu: string;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(DPOP_PROOF_CHECKER) private readonly checker: DpopProofChecker,
  ) {
    this.htu = normalizeHtu(endpointUrl(options.issuer, ENDPOINT_PATHS.token)) ?? '';
    this.pushHtu = normalizeHtu(endpointUrl(options.issuer, ENDPOINT_PATHS.pushedAuthorization)) ?? '';
  }

  /** The thumbprint to bind this request's tokens to, or undefined for bearer tokens; throws the RFC 9449 errors. */
  async bindingOf(request: ProtocolRequest, client: ClientEntity): Promise<string | undefined> {
    const dpop = this.options.dpop;
    if (!dpop.enabled) return undefined;
    const proof = this.proofHeader(request);
    if (proof === undefined) {
      if (dpop.required || client.dpopBoundAccessTokens) throw new InvalidDpopProofError('A DPoP proof is required for this client');
      return undefined;
    }
    return this.thumbprintOf(proof, this.htu);
  }

  /**
   * The key a pushed authorization request binds its code to (RFC 9449 section 10.1): the thumbprint of a valid proof
   * for `POST` to the PAR endpoint, or undefined without a `DPoP` header (or with DPoP off). Optional there: whether a
   * client must use DPoP is enforced at the token endpoint.
   */
  async pushedBindingOf(request: ProtocolRequest): Promise<string | undefined> {
    if (!this.options.dpop.enabled) return undefined;
    const proof = this.proofHeader(request);
    return proof === undefined ? undefined : this.thumbprintOf(proof, this.pushHtu);
  }

  private proofHeader(request: ProtocolRequest): string | undefined {
    try {
      return dpopHeader(request);
    } catch (error) {
      throw this.translated(error);
    }
  }

  private async thumbprintOf(proof: string, htu: string): Promise<string> {
    try {
      return (await this.checker.check(proof, 'POST', htu)).jkt;
    } catch (error) {
      throw this.translated(error);
    }
  }

  private translated(error: unknown): unknown {
    if (error instanceof DpopProofProblem) return new InvalidDpopProofError(error.message);
    if (error instanceof DpopNonceRequired) return new UseDpopNonceError(error.nonce);
    return error;
  }

  /** The nonce to send with every token endpoint response, when proofs must carry nonces. */
  freshNonce(): string | undefined {
    return this.options.dpop.enabled ? this.checker.freshNonce() : undefined;
  }
}
