import { InvalidRequestError } from '../../errors/oauth-errors.js';
import type { FormParameters } from '../rfc6749/token-request.js';

/** `grant_type` of token exchange (RFC 8693 section 2.1). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Token type identifiers (RFC 8693 section 3) authnest reads or issues. */
export const TOKEN_TYPES = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/**
 * A token type a subject or actor token may be presented as: an access token this server issued (JWT or opaque),
 * or `jwt` for one of its JWT access tokens. ID tokens, refresh tokens and SAML assertions are not accepted.
 */
export type ExchangeTokenType = (typeof TOKEN_TYPES)[keyof typeof TOKEN_TYPES];

/** The tokens of a token exchange request (RFC 8693 section 2.1), syntax checked, not yet verified. */
export interface ExchangeTokens {
  subject: { token: string; type: ExchangeTokenType };
  actor?: { token: string; type: ExchangeTokenType };
  /** `requested_token_type`: only access tokens are issued. */
  requestedTokenType: typeof TOKEN_TYPES.accessToken;
}

const ACCEPTED: readonly string[] = Object.values(TOKEN_TYPES);

function tokenType(value: string, parameter: string): ExchangeTokenType {
  if (!ACCEPTED.includes(value)) throw new InvalidRequestError(`The ${parameter} is not supported: use access_token or jwt (tokens this server issued)`);
  return value as ExchangeTokenType;
}

/**
 * Reads the tokens of a token exchange request: `subject_token` and `subject_token_type` are required;
 * `actor_token_type` is required with `actor_token` and must not come without it; `requested_token_type`, when
 * sent, must be `access_token`. Every violation is `invalid_request` (RFC 8693 section 2.2.2).
 */
export function readExchangeTokens(params: FormParameters): ExchangeTokens {
  if (params.subject_token === undefined) throw new InvalidRequestError('The subject_token parameter is missing');
  if (params.subject_token_type === undefined) throw new InvalidRequestError('The subject_token_type parameter is missing');
  const subject = { token: params.subject_token, type: tokenType(params.subject_token_type, 'subject_token_type') };
  if (params.actor_token === undefined && params.actor_token_type !== undefined) {
    throw new InvalidRequestError('The actor_token_type parameter is sent without actor_token');
  }
  if (params.actor_token !== undefined && params.actor_token_type === undefined) {
    throw new InvalidRequestError('The actor_token_type parameter is missing');
  }
  const requested = params.requested_token_type ?? TOKEN_TYPES.accessToken;
  if (requested !== TOKEN_TYPES.accessToken) throw new InvalidRequestError('The requested_token_type is not supported: only access_token is issued');
  const tokens: ExchangeTokens = { subject, requestedTokenType: TOKEN_TYPES.accessToken };
  if (params.actor_token !== undefined) tokens.actor = { token: params.actor_token, type: tokenType(params.actor_token_type!, 'actor_token_type') };
  return tokens;
}
