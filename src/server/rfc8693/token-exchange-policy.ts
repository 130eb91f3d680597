import type { AccessTokenFormat } from '../../options/auth-options.interface.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import type { ExchangeTokenType } from './token-types.js';

/**
 * DI token of the host app's `TokenExchangePolicy`: provide it in a module AuthModule can see (a global module, or
 * `imports` of `forRootAsync`). Without it, no client may have the token exchange grant (boot refuses a seeded one).
 */
export const TOKEN_EXCHANGE_POLICY = Symbol('authnest:token-exchange-policy');

/**
 * The `act` claim (RFC 8693 section 4.1): who acts for the subject. The outermost `sub` is the current actor; a
 * nested `act` names the actor before it.
 */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
  [claim: string]: unknown;
}

/** The `may_act` claim (RFC 8693 section 4.4): the party that may act for the token's subject. */
export interface MayActClaim {
  sub: string;
  [claim: string]: unknown;
}

/** A subject or actor token, verified: issued by this server (to any audience), not revoked, not expired. */
export interface ExchangedToken {
  /** The token type it was presented as. */
  tokenType: ExchangeTokenType;
  format: AccessTokenFormat;
  /** Token identifier (`jti`). */
  jti: string;
  /** The user id, or the client id for a client's own token. */
  sub: string;
  /** The client the token was issued to. */
  clientId: string;
  scopes: string[];
  aud: string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Its actor chain, when it was itself issued by a delegation. */
  act?: ActorClaim;
  /** Who may act for its subject, when it says so. */
  mayAct?: MayActClaim;
  /** RFC 9449: the thumbprint of the DPoP key the token is bound to (`cnf.jkt`); absent for a bearer token. */
  jkt?: string;
  /** Every claim of a JWT (for opaque tokens, the same fields in JWT claim names). */
  claims: Readonly<Record<string, unknown>>;
}

/** What the policy decides about (RFC 8693 section 2.1), after authnest verified both tokens. */
export interface TokenExchangeRequest {
  /** The authenticated client asking (it has the token exchange grant). */
  client: ClientEntity;
  subject: ExchangedToken;
  /** Absent: impersonation (the new token is the subject's); present: delegation (the new token names it in `act`). */
  actor?: ExchangedToken;
  /**
   * The scopes asked for (`scope`, else every scope of the subject token), already within the subject token's and
   * the client's scopes.
   */
  scopes: string[];
  /** The `audience` parameter (a logical name of the target service), when sent. */
  audience?: string;
  /** The `resource` parameter (the target's URI), when sent. */
  resource?: string;
  /** The audience the token gets if the decision names none: the resource's, else the client's or the server's default. */
  defaultAudience: string;
  requestedTokenType: string;
}

/** A positive decision: what the new access token carries. */
export interface TokenExchangeDecision {
  /**
   * The scopes to grant; whatever is beyond `request.scopes` is dropped.
   * @default request.scopes
   */
  scopes?: string[];
  /**
   * The new token's `aud` (at most 1024 characters). Required when the request sent `audience`: an audience the policy
   * does not resolve is refused with `invalid_target`.
   * @default request.defaultAudience
   */
  audience?: string;
  /**
   * Lifetime in seconds (a positive integer); never beyond `accessToken.ttl` nor the subject token's expiry.
   * @default the shorter of `accessToken.ttl` and the subject token's remaining lifetime
   */
  ttl?: number;
  /**
   * A `may_act` claim for the new token: only that party may later present it with an actor token.
   * @default undefined
   */
  mayAct?: MayActClaim;
}

/**
 * `false` refuses the exchange (`invalid_request`, RFC 8693 section 2.2.2: tokens "unacceptable based on policy");
 * `'invalid_target'` refuses the target named by `audience` or `resource`.
 */
export type TokenExchangeOutcome = TokenExchangeDecision | false | 'invalid_target';

/**
 * The host's rules for token exchange (RFC 8693): which client may exchange which subject token, with which actor,
 * for which audience and scopes. authnest has already verified the tokens and bounded the scopes; the policy may
 * only narrow them. Implement it in the host app and provide it under `TOKEN_EXCHANGE_POLICY`.
 */
export interface TokenExchangePolicy {
  decide(request: TokenExchangeRequest): TokenExchangeOutcome | Promise<TokenExchangeOutcome>;
}
