/** Why a call to a provider failed: the provider's own error code (RFC 6749 section 5.2), or `unavailable`. */
export type OAuthClientErrorCode = string;

/**
 * A provider refused a request (`code` is its `error`, e.g. `invalid_client`, `invalid_scope`) or could not be asked
 * (`code` is `unavailable`: down, slow, not JSON, misconfigured). The message never carries a secret or a token.
 */
export class OAuthClientError extends Error {
  constructor(
    readonly provider: string,
    readonly code: OAuthClientErrorCode,
    readonly description?: string,
    /** The HTTP status of the provider's answer, when there was one. */
    readonly status?: number,
  ) {
    super(`OAuth provider ${provider}: ${code}${description ? `: ${description}` : ''}`);
    this.name = 'OAuthClientError';
  }
}
