import { InvalidRequestError, InvalidScopeError } from '../../errors/oauth-errors.js';
import { parseScope } from '../../internal/scope.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import type { ActorClaim, ExchangedToken, MayActClaim, TokenExchangeDecision } from './token-exchange-policy.js';

/** Longest `aud` a decision may give (the `audience` column of access tokens). */
const MAX_AUDIENCE_LENGTH = 1024;

/**
 * The scopes a token exchange may ask for: `scope` (RFC 8693 section 2.1), else every scope of the subject token,
 * never beyond it (`invalid_scope`, like a refresh request broader than its grant) and reduced to the scopes the
 * calling client may have; a non-empty request of which nothing remains is `invalid_scope`.
 */
export function exchangeScopes(requested: string | undefined, subject: ExchangedToken, client: ClientEntity, serverScopes: readonly string[]): string[] {
  let scopes = subject.scopes;
  if (requested !== undefined) {
    const parsed = parseScope(requested);
    if (!parsed) throw new InvalidScopeError('The scope parameter is malformed');
    if (parsed.some((scope) => !serverScopes.includes(scope))) throw new InvalidScopeError('The requested scope is unknown');
    if (parsed.some((scope) => !subject.scopes.includes(scope))) throw new InvalidScopeError("The requested scope exceeds the subject token's");
    scopes = parsed;
  }
  const allowed = scopes.filter((scope) => client.scopes.includes(scope));
  if (requested !== undefined && scopes.length > 0 && allowed.length === 0) throw new InvalidScopeError('The client may not request this scope');
  return allowed;
}

/**
 * The new token's `act` (RFC 8693 section 4.1): with an actor token, the actor's `sub` as the current actor, the
 * subject token's own `act` nested under it (the prior actors); without one (impersonation), the subject token's
 * `act` unchanged, so an exchange never hides an earlier delegation.
 */
export function actorChain(subject: ExchangedToken, actor: ExchangedToken | undefined): ActorClaim | undefined {
  if (!actor) return subject.act;
  return subject.act ? { sub: actor.sub, act: subject.act } : { sub: actor.sub };
}

/**
 * RFC 8693 section 4.4: a subject token with `may_act` may be exchanged only by the party it names: the actor token's
 * `sub`, or the calling client when no actor token is sent. Anything else is `invalid_request` (section 2.2.2).
 */
export function checkMayAct(subject: ExchangedToken, actor: ExchangedToken | undefined, client: ClientEntity): void {
  if (!subject.mayAct) return;
  const acting = actor?.sub ?? client.clientId;
  if (subject.mayAct.sub !== acting) throw new InvalidRequestError('The actor may not act for the subject of the subject_token');
}

/** What a positive decision resolves to; `undefined` when the decision is malformed (a bug of the host's policy). */
export interface BoundedDecision {
  scopes: string[];
  audience?: string;
  ttl: number;
  mayAct?: MayActClaim;
}

/**
 * Applies a positive decision within authnest's bounds: scopes beyond the requested ones are dropped (`dropped`
 * lists them), the lifetime is at most `maxTtl` (the shorter of `accessToken.ttl` and the subject token's remaining
 * life, at least 1 second). A malformed decision (scopes not strings, an empty or too long audience, a ttl that is
 * not a positive integer, a `mayAct` without a string `sub`) resolves to undefined.
 */
export function boundDecision(decision: TokenExchangeDecision, requested: readonly string[], maxTtl: number): { bounded: BoundedDecision; dropped: string[] } | undefined {
  const { scopes = [...requested], audience, ttl, mayAct } = decision;
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string')) return undefined;
  if (audience !== undefined && (typeof audience !== 'string' || audience.length === 0 || audience.length > MAX_AUDIENCE_LENGTH)) return undefined;
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl <= 0)) return undefined;
  if (mayAct !== undefined && (typeof mayAct !== 'object' || mayAct === null || typeof mayAct.sub !== 'string')) return undefined;
  const granted = [...new Set(scopes)].filter((scope) => requested.includes(scope));
  const bounded: BoundedDecision = { scopes: granted, ttl: Math.max(1, Math.min(ttl ?? maxTtl, maxTtl)) };
  if (audience !== undefined) bounded.audience = audience;
  if (mayAct !== undefined) bounded.mayAct = mayAct;
  return { bounded, dropped: scopes.filter((scope) => !requested.includes(scope)) };
}
