import { OAuthError, type OAuthErrorBody, type OAuthErrorCode } from './oauth-error.js';
import { quoteAuthParam } from './oauth-errors.js';

/** The response header that carries a server-provided DPoP nonce (RFC 9449 section 8). */
export const DPOP_NONCE_HEADER = 'DPoP-Nonce';

/**
 * A `DPoP` challenge (RFC 9449 section 7.1): `algs` lists the proof algorithms accepted, then the error attributes
 * when there is an error.
 */
export function dpopChallenge(algorithms: readonly string[], params: Record<string, string> = {}): string {
  const parts = Object.entries(params).map(([key, value]) => `${key}=${quoteAuthParam(value)}`);
  parts.push(`algs=${quoteAuthParam(algorithms.join(' '))}`);
  return `DPoP ${parts.join(', ')}`;
}

/**
 * 400 `invalid_dpop_proof` at the token endpoint (RFC 9449 section 5): the `DPoP` header is missing where a proof is
 * required, repeated, or the proof is malformed, signed badly, for another request, too old, or replayed.
 */
export class InvalidDpopProofError extends OAuthError {
  constructor(description = 'The DPoP proof is invalid') {
    super('invalid_dpop_proof', description, { status: 400 });
  }
}

/** 400 `use_dpop_nonce` at the token endpoint (RFC 9449 section 8): retry with the nonce of the `DPoP-Nonce` header. */
export class UseDpopNonceError extends OAuthError {
  constructor(nonce: string) {
    super('use_dpop_nonce', 'The authorization server requires a nonce in the DPoP proof', { status: 400, headers: { [DPOP_NONCE_HEADER]: nonce } });
  }
}

/**
 * 401 at a protected resource for a request with the DPoP scheme (RFC 9449 sections 7.1 and 9): `invalid_token`
 * (the token is not bound to the proof's key), `invalid_dpop_proof` or `use_dpop_nonce` (with a `DPoP-Nonce`
 * header), and a `DPoP` challenge naming the error and the accepted algorithms.
 */
export class DpopResourceError extends OAuthError {
  constructor(
    code: Extract<OAuthErrorCode, 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce'>,
    description: string,
    algorithms: readonly string[],
    nonce?: string,
  ) {
    const headers: Record<string, string> = { 'WWW-Authenticate': dpopChallenge(algorithms, { error: code, error_description: description }) };
    if (nonce !== undefined) headers[DPOP_NONCE_HEADER] = nonce;
    super(code, description, { status: 401, headers });
  }
}

/**
 * Another error of a protected resource with its `WWW-Authenticate` challenge replaced or extended (RFC 9449
 * section 7.2: a resource that accepts both schemes offers both challenges). Body and status stay the original's.
 */
export class RechallengedError extends OAuthError {
  constructor(
    private readonly original: OAuthError,
    challenge: string,
    mode: 'append' | 'replace',
  ) {
    const existing = original.headers['WWW-Authenticate'];
    const header = mode === 'append' && existing ? `${existing}, ${challenge}` : challenge;
    super(original.code, original.description, { status: original.status, uri: original.uri, headers: { ...original.headers, 'WWW-Authenticate': header } });
  }

  override toJSON(): OAuthErrorBody {
    return this.original.toJSON();
  }
}
