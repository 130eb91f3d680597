import type { OAuthErrorCode } from '../../errors/oauth-error.js';
import type { AuthenticationParameters } from '../oidc/authentication-request.js';
import type { RequestedClaims } from '../oidc/claims-request.js';
import type { CodeChallengeMethod } from '../rfc7636/pkce.js';

/** How the authorization response reaches the client (OAuth 2.0 Multiple Response Types, Form Post Response Mode). */
export type ResponseMode = 'query' | 'form_post';

/** The `prompt` values authnest understands (OpenID Connect Core section 3.1.2.1). */
export type PromptValue = 'none' | 'login' | 'consent';

/** Where and how a response goes back to the client, once the client and its redirect URI are trusted. */
export interface RedirectTarget {
  /** Exactly one of the client's registered redirect URIs. */
  redirectUri: string;
  responseMode: ResponseMode;
  /** Echoed unchanged (RFC 6749 section 4.1.2). */
  state?: string;
}

/**
 * A validated authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3): what an interaction
 * stores while the user logs in and consents, and what the authorization code is bound to in the end.
 */
export interface AuthorizationRequest extends RedirectTarget, AuthenticationParameters {
  clientId: string;
  /** Whether the request named `redirect_uri` (then the token request must repeat it). */
  redirectUriSent: boolean;
  /** The scopes to grant, after the client's policy (`grantableScopes`). */
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: CodeChallengeMethod;
  nonce?: string;
  prompt: PromptValue[];
  /** Claims asked for one by one (`claims` parameter of an OpenID Connect request). */
  claims?: RequestedClaims;
  /**
   * The `sub` the request insists on (from `id_token_hint` or a `sub` value in `claims`): only that user may be the
   * answer (OpenID Connect Core sections 3.1.2.1 and 5.5.1).
   */
  expectedSubject?: string;
  /** RFC 8707: the configured resources the request named (the code and its refresh tokens carry them). */
  resources?: string[];
  /** RFC 9449 section 10: the DPoP key thumbprint the code is bound to (`dpop_jkt`). */
  dpopJkt?: string;
}

/** Errors the authorization endpoint returns to the client's redirect URI (RFC 6749 section 4.1.2.1). */
export type AuthorizationErrorCode = Extract<
  OAuthErrorCode,
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required'
  | 'invalid_target'
>;

/** A problem found after the redirect URI was validated: it goes back to the client. */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly code: AuthorizationErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.name = 'AuthorizationRedirectError';
  }
}
