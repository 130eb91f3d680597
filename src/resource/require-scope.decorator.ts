import { applyDecorators, UseGuards } from '@nestjs/common';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { SCOPE_REQUIREMENT, toScopeRequirement, type ScopeRequirementSpec } from './scope-requirement.js';

/**
 * Requires a valid bearer token carrying scopes, and applies `BearerAuthGuard` to the route or controller.
 * - `@RequireScope('posts:read')`, `@RequireScope('a', 'b')`: all of the scopes.
 * - `@RequireScope(['a'], ['b', 'c'])`: any one of the arrays, each meaning all of its scopes.
 * - `@RequireScope({ anyOf: ['a', 'b'] })`, `@RequireScope({ allOf: ['a', 'b'] })`: explicit forms.
 * - `@RequireScope()`: any valid token.
 * A method's requirement replaces its controller's.
 */
export function RequireScope(...scopes: string[]): ClassDecorator & MethodDecorator;
export function RequireScope(...alternatives: (readonly string[])[]): ClassDecorator & MethodDecorator;
export function RequireScope(spec: ScopeRequirementSpec): ClassDecorator & MethodDecorator;
export function RequireScope(...args: (string | readonly string[] | ScopeRequirementSpec)[]): ClassDecorator & MethodDecorator {
  return applyDecorators(SCOPE_REQUIREMENT(toScopeRequirement(args)), UseGuards(BearerAuthGuard));
}

/** `@RequireAnyScope('a', 'b')`: a token with at least one of the scopes. */
export function RequireAnyScope(...scopes: string[]): ClassDecorator & MethodDecorator {
  return RequireScope({ anyOf: scopes });
}
