import { OAuthError, type OAuthErrorBody } from './oauth-error.js';
import { quoteAuthParam } from './oauth-errors.js';

function bearerChallenge(realm: string, params: Record<string, string>): string {
  const parts = [`realm=${quoteAuthParam(realm)}`];
  for (const [key, value] of Object.entries(params)) parts.push(`${key}=${quoteAuthParam(value)}`);
  return `Bearer ${parts.join(', ')}`;
}

/**
 * 401 without an error code: the request carried no bearer token (RFC 6750 section 3.1 says the
 * challenge SHOULD NOT include error information then).
 */
export class MissingTokenError extends OAuthError {
  constructor(realm: string) {
    super('invalid_token', 'A bearer access token is required', {
      status: 401,
      headers: { 'WWW-Authenticate': bearerChallenge(realm, {}) },
    });
  }

  override toJSON(): OAuthErrorBody {
    return { error_description: this.description };
  }
}

/** 400 `invalid_request` with a Bearer challenge: a malformed Authorization header (RFC 6750 section 3.1). */
export class MalformedBearerRequestError extends OAuthError {
  constructor(realm: string, description: string) {
    super('invalid_request', description, {
      status: 400,
      headers: { 'WWW-Authenticate': bearerChallenge(realm, { error: 'invalid_request', error_description: description }) },
    });
  }
}

/** 401 `invalid_token`: expired, revoked, malformed or forged (RFC 6750 section 3.1). */
export class InvalidTokenError extends OAuthError {
  constructor(realm: string, description = 'The access token is invalid') {
    super('invalid_token', description, {
      status: 401,
      headers: { 'WWW-Authenticate': bearerChallenge(realm, { error: 'invalid_token', error_description: description }) },
    });
  }
}

/** 403 `insufficient_scope` naming the scope the route needs (RFC 6750 section 3.1). */
export class InsufficientScopeError extends OAuthError {
  constructor(realm: string, requiredScope: string) {
    const description = 'The access token does not carry the scope this resource requires';
    super('insufficient_scope', description, {
      status: 403,
      headers: {
        'WWW-Authenticate': bearerChallenge(realm, { error: 'insufficient_scope', error_description: description, scope: requiredScope }),
      },
    });
  }
}
