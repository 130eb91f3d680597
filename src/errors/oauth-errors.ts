import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** Quotes a value for an auth-param (RFC 9110 section 11.2): backslash and double quote escaped. */
export function quoteAuthParam(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** 400: a parameter is missing, repeated, malformed or unsupported (RFC 6749 section 5.2). */
export class InvalidRequestError extends OAuthError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('invalid_request', description, { status: 400, ...options });
  }
}

/**
 * 401: client authentication failed (RFC 6749 section 5.2). With `basicChallenge`, the response carries
 * `WWW-Authenticate: Basic` as the RFC requires when the client used the Authorization header.
 */
export class InvalidClientError extends OAuthError {
  constructor(description = 'Client authentication failed', options: OAuthErrorOptions & { basicChallenge?: boolean; realm?: string } = {}) {
    const headers = { ...options.headers };
    if (options.basicChallenge) {
      const realm = options.realm ? `realm=${quoteAuthParam(options.realm)}, ` : '';
      headers['WWW-Authenticate'] = `Basic ${realm}error="invalid_client"`;
    }
    super('invalid_client', description, { status: 401, ...options, headers });
  }
}

/** 400: the grant (code, refresh token, credentials) is invalid, expired or revoked. */
export class InvalidGrantError extends OAuthError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('invalid_grant', description, { status: 400, ...options });
  }
}

/** 400: the authenticated client may not use this grant type. */
export class UnauthorizedClientError extends OAuthError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('unauthorized_client', description, { status: 400, ...options });
  }
}

/** 400: the grant type is not supported by this server. */
export class UnsupportedGrantTypeError extends OAuthError {
  constructor(description = 'The grant type is not supported', options: OAuthErrorOptions = {}) {
    super('unsupported_grant_type', description, { status: 400, ...options });
  }
}

/** 400: the requested scope is invalid, unknown or malformed. */
export class InvalidScopeError extends OAuthError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('invalid_scope', description, { status: 400, ...options });
  }
}

/** 500: an unexpected condition; the description never carries internals. */
export class ServerError extends OAuthError {
  constructor(description = 'The server could not complete the request', options: OAuthErrorOptions = {}) {
    super('server_error', description, { status: 500, ...options });
  }
}

/** 503: a dependency (database, key store) is unavailable; retry later. */
export class TemporarilyUnavailableError extends OAuthError {
  constructor(description = 'The server is temporarily unavailable', options: OAuthErrorOptions = {}) {
    super('temporarily_unavailable', description, { status: 503, ...options });
  }
}

/**
 * 400: a revocation or introspection request named a `token_type_hint` this server does not know
 * (RFC 7009 section 2.2.1). Authlib answers 401; the RFC lists no status other than 400 for it.
 */
export class UnsupportedTokenTypeError extends OAuthError {
  constructor(description = 'The token type hint is not supported', options: OAuthErrorOptions = {}) {
    super('unsupported_token_type', description, { status: 400, ...options });
  }
}

/**
 * 400: a `resource` value is invalid, unknown, not allowed for the client or the grant, or several were named where
 * one is accepted (RFC 8707 section 2).
 */
export class InvalidTargetError extends OAuthError {
  constructor(description = 'The requested resource is invalid or not allowed', options: OAuthErrorOptions = {}) {
    super('invalid_target', description, { status: 400, ...options });
  }
}
