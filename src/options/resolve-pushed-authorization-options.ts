import type { AuthModuleOptions } from './auth-options.interface.js';

/** `par` with defaults applied. */
export interface ResolvedPushedAuthorizationOptions {
  ttl: number;
  required: boolean;
}

/** Defaults of `par` (its shape is validated with the rest by `resolveAuthOptions`). */
export function resolvePushedAuthorizationOptions(raw: AuthModuleOptions): ResolvedPushedAuthorizationOptions {
  return { ttl: raw.par?.ttl ?? 60, required: raw.par?.required ?? false };
}
