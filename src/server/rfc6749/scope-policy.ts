import { InvalidScopeError } from '../../errors/oauth-errors.js';
import { parseScope } from '../../internal/scope.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';

/**
 * The scopes to grant for a request (RFC 6749 section 3.3). Omitted: the client's default scopes.
 * Malformed or unknown to the server: `invalid_scope`. Known scopes the client may not have are dropped;
 * if nothing remains of a non-empty request: `invalid_scope`.
 */
export function grantableScopes(requested: string | undefined, client: ClientEntity, serverScopes: readonly string[]): string[] {
  if (requested === undefined) return [...client.defaultScopes];
  const tokens = parseScope(requested);
  if (!tokens) throw new InvalidScopeError('The scope parameter is malformed');
  if (tokens.some((scope) => !serverScopes.includes(scope))) throw new InvalidScopeError('The requested scope is unknown');
  const allowed = tokens.filter((scope) => client.scopes.includes(scope));
  if (tokens.length > 0 && allowed.length === 0) throw new InvalidScopeError('The client may not request this scope');
  return allowed;
}
