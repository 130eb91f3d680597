import type { AuthModuleOptions } from './auth-options.interface.js';
import type { ResolvedAuthOptions } from './resolved-options.js';

/** `max-age` of the JWKS endpoint's Cache-Control: how long a resource server may keep the key set without asking. */
export const JWKS_MAX_AGE = 300;

/**
 * Seconds a superseded key stays published beyond the longest lifetime of what it signed: covers the clock skew
 * between instances and the `exp` leeway of resource servers.
 */
export const KEY_RETIREMENT_MARGIN = 300;

/** Lifetime in seconds of back-channel logout tokens (Back-Channel Logout 1.0 section 2.4 recommends at most two minutes). */
export const LOGOUT_TOKEN_TTL = 120;

/** The key-rotation settings of `signing`, with defaults applied. */
export interface ResolvedKeyRotation {
  reloadInterval: number;
  propagationDelay: number;
}

/**
 * `signing.reloadInterval` and `signing.propagationDelay` (shapes are validated with the rest): a rotated key must
 * be in every instance's key set (one reload) and in every resource server's cached JWKS (its `max-age`) before it
 * signs, or tokens it signs would be refused until those caches expire.
 */
export function resolveKeyRotation(raw: AuthModuleOptions, problems: string[]): ResolvedKeyRotation {
  const reloadInterval = raw.signing?.reloadInterval ?? 60;
  const propagationDelay = raw.signing?.propagationDelay ?? 900;
  if (propagationDelay <= reloadInterval + JWKS_MAX_AGE) {
    problems.push(
      `signing.propagationDelay: must exceed signing.reloadInterval + the JWKS max-age (${reloadInterval} + ${JWKS_MAX_AGE} seconds), ` +
        'or instances and resource servers could meet tokens of a key they do not have yet',
    );
  }
  return { reloadInterval, propagationDelay };
}

/**
 * The longest lifetime, in seconds, of anything the signing key signs: access tokens (`accessToken.ttl` and every
 * resource's `accessTokenTtl`; exchanged tokens are bounded by these), ID tokens and logout tokens.
 */
export function longestSignedLifetime(options: ResolvedAuthOptions): number {
  const resourceTtls = (options.resources ?? []).map((resource) => resource.accessTokenTtl ?? 0);
  return Math.max(options.accessToken.ttl, options.oidc.idTokenTtl, LOGOUT_TOKEN_TTL, ...resourceTtls);
}
