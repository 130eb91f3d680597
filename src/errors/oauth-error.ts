/**
 * Every error code authnest puts on the wire: RFC 6749 section 5.2 and 4.1.2.1, RFC 6750 section 3.1,
 * RFC 7009 section 2.2.1, OpenID Connect Core section 3.1.2.6 (`prompt=none` answers), RFC 8628 section 3.5 (device
 * polling). A closed union: a code outside it cannot be thrown by mistake.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'login_required'
  | 'consent_required'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  /** RFC 7591 section 3.2.2 (dynamic client registration). */
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement'
  /** RFC 8707 section 2 (resource indicators). */
  | 'invalid_target'
  /** RFC 9449 sections 5, 7.1 and 8 (DPoP). */
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/** The JSON body of an error response (RFC 6749 section 5.2). */
export interface OAuthErrorBody {
  error?: OAuthErrorCode;
  error_description?: string;
  error_uri?: string;
}

export interface OAuthErrorOptions {
  /** HTTP status; each subclass has the RFC default. */
  status?: number;
  /** Extra response headers (WWW-Authenticate, Allow, Retry-After). */
  headers?: Record<string, string>;
  /** Human-readable URI with more information (`error_uri`). */
  uri?: string;
}

/** RFC 6749 section 5.2 limits `error_description` to %x20-21 / %x23-5B / %x5D-7E. */
function safeDescription(description: string): string {
  return description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '');
}

/**
 * Base of every protocol error. The exception filter turns it into the RFC JSON body with
 * `Cache-Control: no-store`. Descriptions are fixed text chosen by authnest, never echoed input.
 */
export class OAuthError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly uri?: string;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: OAuthErrorOptions & { status: number },
  ) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
    this.description = safeDescription(description);
    this.status = options.status;
    this.headers = options.headers ?? {};
    this.uri = options.uri;
  }

  /** The response body. */
  toJSON(): OAuthErrorBody {
    const body: OAuthErrorBody = { error: this.code, error_description: this.description };
    if (this.uri) body.error_uri = this.uri;
    return body;
  }
}
