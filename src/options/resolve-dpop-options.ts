import { isSafeServerUrl, tryParseUrl } from '../internal/url-rules.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import type { DpopAlgorithm } from './dpop-options.interface.js';
import type { ResolvedClientSeed } from './resolved-options.js';

/** `dpop` with defaults applied; `enabled` is false when the option is absent. */
export interface ResolvedDpopOptions {
  enabled: boolean;
  required: boolean;
  requireNonce: boolean;
  nonceLifetime: number;
  proofMaxAge: number;
  leeway: number;
  algorithms: DpopAlgorithm[];
  /** Origin (no trailing slash) that `htu` of proofs at guarded routes starts with. */
  resourceOrigin: string;
}

export const DEFAULT_DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'];

/** The origin of a URL that passes `isSafeServerUrl` and has no path, or undefined. */
export function originOnly(value: string): string | undefined {
  const url = tryParseUrl(value);
  if (!url || !isSafeServerUrl(value) || (url.pathname !== '/' && url.pathname !== '')) return undefined;
  return url.origin;
}

/**
 * Defaults of `dpop` (shapes are validated with the rest by `resolveAuthOptions`), and the combinations that ask for
 * DPoP while it is off: a client seeded with `dpopBoundAccessTokens` needs `dpop`.
 */
export function resolveDpopOptions(raw: AuthModuleOptions, issuer: string, clients: readonly ResolvedClientSeed[], problems: string[]): ResolvedDpopOptions {
  const dpop = raw.dpop;
  let resourceOrigin = tryParseUrl(issuer)?.origin ?? issuer;
  if (dpop?.resourceOrigin !== undefined) {
    const origin = originOnly(dpop.resourceOrigin);
    if (origin) resourceOrigin = origin;
    else problems.push('dpop.resourceOrigin: must be an origin (https, or http on a loopback host) without path, query or fragment');
  }
  if (!dpop) {
    clients.forEach((client, index) => {
      if (client.dpopBoundAccessTokens) problems.push(`clients[${index}].dpopBoundAccessTokens: needs the dpop option (DPoP is off)`);
    });
  }
  return {
    enabled: dpop !== undefined,
    required: dpop?.required ?? false,
    requireNonce: dpop?.requireNonce ?? false,
    nonceLifetime: dpop?.nonceLifetime ?? 300,
    proofMaxAge: dpop?.proofMaxAge ?? 60,
    leeway: dpop?.leeway ?? 15,
    algorithms: dpop?.algorithms ?? [...DEFAULT_DPOP_ALGORITHMS],
    resourceOrigin,
  };
}
