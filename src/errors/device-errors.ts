import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/**
 * 400: the user has not answered the device authorization request yet; keep polling at the interval
 * (RFC 8628 section 3.5).
 */
export class AuthorizationPendingError extends OAuthError {
  constructor(description = 'The user has not yet answered the request', options: OAuthErrorOptions = {}) {
    super('authorization_pending', description, { status: 400, ...options });
  }
}

/** 400: still pending, and the device polls too often: its interval grew by 5 seconds (RFC 8628 section 3.5). */
export class SlowDownError extends OAuthError {
  constructor(description = 'Polling too fast: wait 5 seconds longer between requests', options: OAuthErrorOptions = {}) {
    super('slow_down', description, { status: 400, ...options });
  }
}

/** 400: the device code expired; start a new device authorization request (RFC 8628 section 3.5). */
export class ExpiredTokenError extends OAuthError {
  constructor(description = 'The device code expired', options: OAuthErrorOptions = {}) {
    super('expired_token', description, { status: 400, ...options });
  }
}

/** 400 at the token endpoint: the user denied the device authorization request (RFC 8628 section 3.5). */
export class AccessDeniedError extends OAuthError {
  constructor(description = 'The user denied the request', options: OAuthErrorOptions = {}) {
    super('access_denied', description, { status: 400, ...options });
  }
}
