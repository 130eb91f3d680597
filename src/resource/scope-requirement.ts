import { Reflector } from '@nestjs/core';
import { isScopeToken } from '../internal/scope.js';

/**
 * A scope requirement in disjunctive normal form: the token must carry every scope of at least one
 * alternative. `[['a', 'b']]` = a AND b; `[['a'], ['b']]` = a OR b; `[]` = any valid token.
 */
export interface ScopeRequirement {
  readonly anyOf: readonly (readonly string[])[];
}

/** Explicit form: `{ allOf: ['a', 'b'] }` (both) or `{ anyOf: ['a', 'b'] }` (either). */
export type ScopeRequirementSpec = { allOf: readonly string[] } | { anyOf: readonly string[] };

function checked(scopes: readonly string[]): string[] {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new Error(`@RequireScope: '${scope}' is not a single scope token; pass several arguments for "all of"`);
    }
  }
  return [...scopes];
}

/** Normalizes the arguments of `@RequireScope(...)`. */
export function toScopeRequirement(args: readonly (string | readonly string[] | ScopeRequirementSpec)[]): ScopeRequirement {
  if (args.length === 1 && typeof args[0] === 'object' && !Array.isArray(args[0])) {
    const spec = args[0] as ScopeRequirementSpec;
    return 'allOf' in spec ? { anyOf: [checked(spec.allOf)] } : { anyOf: checked(spec.anyOf).map((scope) => [scope]) };
  }
  if (args.every((arg) => typeof arg === 'string')) return { anyOf: args.length === 0 ? [] : [checked(args as string[])] };
  if (args.every((arg) => Array.isArray(arg))) return { anyOf: (args as readonly string[][]).map(checked) };
  throw new Error('@RequireScope: pass scopes (all of), arrays of scopes (any of the arrays), or { allOf } / { anyOf }');
}

/** True when the granted scopes satisfy the requirement (exact, case-sensitive token match). */
export function satisfies(requirement: ScopeRequirement, granted: readonly string[]): boolean {
  if (requirement.anyOf.length === 0) return true;
  return requirement.anyOf.some((alternative) => alternative.every((scope) => granted.includes(scope)));
}

/** The `scope` attribute of a 403 challenge: the first alternative. */
export function describeRequirement(requirement: ScopeRequirement): string {
  return (requirement.anyOf[0] ?? []).join(' ');
}

/** Metadata written by `@RequireScope`, read by `BearerAuthGuard`. */
export const SCOPE_REQUIREMENT = Reflector.createDecorator<ScopeRequirement>();
