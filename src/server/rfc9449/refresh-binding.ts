import { InvalidDpopProofError } from '../../errors/dpop-errors.js';
import { InvalidGrantError } from '../../errors/oauth-errors.js';
import { constantTimeEqual } from '../../internal/constant-time.js';
import type { ClientAuthMethod } from '../../options/auth-options.interface.js';

/**
 * The key a new refresh token is bound to (RFC 9449 section 5): a public client's refresh token is bound to the key of
 * the request's DPoP proof, since nothing else stops a stolen one from being used; a confidential client's refresh
 * token is not bound (its client authentication does that), though its access tokens are.
 */
export function refreshTokenJkt(authMethod: ClientAuthMethod, dpopJkt: string | undefined): string | undefined {
  return authMethod === 'none' ? dpopJkt : undefined;
}

/**
 * A refresh token bound to a key is used only with a proof of that key (RFC 9449 section 5, security checklist 33):
 * without a proof `invalid_dpop_proof`, with another key's proof `invalid_grant`. Nothing is revoked: the presenter
 * may simply not be the client.
 */
export function checkRefreshTokenBinding(boundJkt: string | null, dpopJkt: string | undefined): void {
  if (boundJkt === null) return;
  if (dpopJkt === undefined) throw new InvalidDpopProofError('The refresh token is DPoP-bound: a DPoP proof of its key is required');
  if (!constantTimeEqual(boundJkt, dpopJkt)) throw new InvalidGrantError('The refresh token is bound to another DPoP key');
}

/**
 * An authorization code requested with `dpop_jkt` is redeemed only with a proof of that key (RFC 9449 section 10.1):
 * `invalid_grant` otherwise.
 */
export function codeBindingMatches(dpopJkt: string | null, proofJkt: string | undefined): boolean {
  return dpopJkt === null || (proofJkt !== undefined && constantTimeEqual(dpopJkt, proofJkt));
}
