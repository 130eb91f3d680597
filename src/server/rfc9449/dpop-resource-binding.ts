import { DpopResourceError } from '../../errors/dpop-errors.js';
import { constantTimeEqual } from '../../internal/constant-time.js';
import type { DpopBinding } from '../../resource/dpop-binding.js';
import type { AccessTokenInfo } from '../../tokens/access-token-info.js';
import { DpopNonceRequired, DpopProofChecker, dpopHeader, type RequestWithHeaders } from './dpop-proof-checker.js';
import { DpopProofProblem } from './dpop-proof.js';
import { normalizeHtu, requestHtu, requestMethod, type LocatableRequest } from './htu.js';

type ResourceRequest = RequestWithHeaders & LocatableRequest;

/**
 * DPoP at a protected resource (RFC 9449 section 7.1): the request must carry one proof for its method and for the
 * configured public origin followed by its path (or, for the UserInfo endpoint, the endpoint's own URL), with `ath`
 * of the access token, signed by the key the token is bound to (`cnf.jkt`). A token bound to no key is refused with
 * the DPoP scheme: the scheme claims a binding the token does not have.
 */
export class DpopResourceBinding implements DpopBinding {
  readonly algorithms: readonly string[];

  constructor(
    private readonly checker: DpopProofChecker,
    /** Public origin of the guarded routes, normalised, no trailing slash. */
    private readonly origin: string,
  ) {
    this.algorithms = checker.settings.algorithms;
  }

  verify(request: object, accessToken: string, token: AccessTokenInfo): Promise<void> {
    const target = request as ResourceRequest;
    return this.verifyAt(target, requestHtu(this.origin, target), accessToken, token.cnf?.jkt);
  }

  /** The same check for a request whose public URL is known (`htu`), with the thumbprint the token is bound to. */
  async verifyAt(request: RequestWithHeaders & LocatableRequest, htu: string | undefined, accessToken: string, boundJkt: string | undefined): Promise<void> {
    const fail = (code: 'invalid_token' | 'invalid_dpop_proof', description: string) => new DpopResourceError(code, description, this.algorithms);
    let proof: string | undefined;
    try {
      proof = dpopHeader(request);
    } catch (error) {
      if (error instanceof DpopProofProblem) throw fail('invalid_dpop_proof', error.message);
      throw error;
    }
    if (proof === undefined) throw fail('invalid_dpop_proof', 'A DPoP proof is required with the DPoP scheme');
    if (boundJkt === undefined) throw fail('invalid_token', 'The access token is not DPoP-bound');
    const expectedHtu = htu === undefined ? undefined : normalizeHtu(htu);
    if (expectedHtu === undefined) throw fail('invalid_dpop_proof', 'The DPoP proof htu does not match the request URI');
    let jkt: string;
    try {
      ({ jkt } = await this.checker.check(proof, requestMethod(request), expectedHtu, accessToken));
    } catch (error) {
      if (error instanceof DpopNonceRequired) {
        throw new DpopResourceError('use_dpop_nonce', 'The resource server requires a nonce in the DPoP proof', this.algorithms, error.nonce);
      }
      if (error instanceof DpopProofProblem) throw fail('invalid_dpop_proof', error.message);
      throw error;
    }
    if (!constantTimeEqual(jkt, boundJkt)) throw fail('invalid_token', 'The access token is not bound to the DPoP proof key');
  }

  freshNonce(): string | undefined {
    return this.checker.freshNonce();
  }
}
