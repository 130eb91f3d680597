import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** 400: one or more `redirect_uris` (or `post_logout_redirect_uris`) are invalid (RFC 7591 section 3.2.2). */
export class InvalidRedirectUriError extends OAuthError {
  constructor(description = 'The redirect URIs are invalid', options: OAuthErrorOptions = {}) {
    super('invalid_redirect_uri', description, { status: 400, ...options });
  }
}

/** 400: the value of a client metadata field is invalid, and nothing was registered or changed (RFC 7591 section 3.2.2). */
export class InvalidClientMetadataError extends OAuthError {
  constructor(description = 'The client metadata is invalid', options: OAuthErrorOptions = {}) {
    super('invalid_client_metadata', description, { status: 400, ...options });
  }
}

/** 400: the `software_statement` is not a signed JWT (RFC 7591 section 3.2.2). */
export class InvalidSoftwareStatementError extends OAuthError {
  constructor(description = 'The software statement is invalid', options: OAuthErrorOptions = {}) {
    super('invalid_software_statement', description, { status: 400, ...options });
  }
}

/** 400: the `software_statement` is not approved by this server (RFC 7591 section 3.2.2). */
export class UnapprovedSoftwareStatementError extends OAuthError {
  constructor(description = 'Software statements are not accepted by this server', options: OAuthErrorOptions = {}) {
    super('unapproved_software_statement', description, { status: 400, ...options });
  }
}
