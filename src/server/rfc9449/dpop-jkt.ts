import { AuthorizationRedirectError } from '../authorize/authorization-request.js';
import type { FormParameters } from '../rfc6749/token-request.js';

/** A JWK SHA-256 thumbprint (RFC 7638) in base64url: 32 bytes, 43 characters (the last one ends in two zero bits), no padding. */
const THUMBPRINT = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * The `dpop_jkt` authorization request parameter (RFC 9449 section 10): the thumbprint of the key the client will
 * prove at the token endpoint, which the code is then bound to. Only read with DPoP on (otherwise an unknown parameter,
 * ignored as RFC 6749 section 3.1 says); malformed: `invalid_request` to the client.
 */
export function dpopJktParameter(params: FormParameters, enabled: boolean): { dpopJkt?: string } {
  const value = params.dpop_jkt;
  if (!enabled || value === undefined) return {};
  if (!THUMBPRINT.test(value)) throw new AuthorizationRedirectError('invalid_request', 'The dpop_jkt parameter must be a base64url SHA-256 JWK thumbprint');
  return { dpopJkt: value };
}
