import { InvalidDpopProofError } from '../../errors/dpop-errors.js';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import type { FormParameters } from '../rfc6749/token-request.js';

/**
 * Client authentication parameters (RFC 6749 section 2.3.1, RFC 7523 section 2.2): they authenticate the push and are
 * never stored with the request (Keycloak kept them, CVE-2024-4540).
 */
const CREDENTIALS: readonly string[] = ['client_secret', 'client_assertion', 'client_assertion_type'];

/** At most this many parameters in one pushed request. */
export const MAX_PUSHED_PARAMETERS = 50;
/** At most this many characters of parameter names and values in one pushed request (each value: 8192 at most). */
export const MAX_PUSHED_LENGTH = 32_768;

/**
 * What a pushed authorization request stores (RFC 9126 section 2.1): every parameter of the body except the client's
 * credentials, with `client_id` the authenticated client's. Refused with `invalid_request`: a `request_uri` (section
 * 2.1), a `request` object (not supported), a `client_id` of another client, too many or too long parameters.
 *
 * The one place that builds the stored parameters: authorization parameters other features add (`resource`,
 * `dpop_jkt`) go through unchanged, and the key of a DPoP proof sent with the push (`dpopJkt`, RFC 9449 section 10.1)
 * becomes the request's `dpop_jkt`.
 */
export function pushedParameters(params: FormParameters, client: ClientEntity, dpopJkt?: string): FormParameters {
  if (params.request_uri !== undefined) throw new InvalidRequestError('A pushed authorization request must not contain request_uri');
  if (params.request !== undefined) throw new InvalidRequestError('Request objects (the request parameter) are not supported');
  if (params.client_id !== undefined && params.client_id !== client.clientId) {
    throw new InvalidRequestError('client_id does not name the authenticated client');
  }
  const stored: Record<string, string> = Object.create(null) as Record<string, string>;
  let length = 0;
  for (const [name, value] of Object.entries(params)) {
    if (CREDENTIALS.includes(name)) continue;
    stored[name] = value;
    length += name.length + value.length;
  }
  stored.client_id = client.clientId;
  if (dpopJkt !== undefined) {
    // RFC 9449 section 10.1: a proof sent with the push binds the code to its key, as `dpop_jkt` does; both must agree.
    if (stored.dpop_jkt !== undefined && stored.dpop_jkt !== dpopJkt) throw new InvalidDpopProofError('dpop_jkt does not match the key of the DPoP proof');
    stored.dpop_jkt = dpopJkt;
  }
  if (Object.keys(stored).length > MAX_PUSHED_PARAMETERS) throw new InvalidRequestError(`A pushed request may have at most ${MAX_PUSHED_PARAMETERS} parameters`);
  if (length > MAX_PUSHED_LENGTH) throw new InvalidRequestError('The pushed request is too large');
  return stored;
}
