import { isAcceptableBackchannelUri, isAcceptableRedirectUri, tryParseUrl } from '../internal/url-rules.js';
import { CLAIM_NAME, mergeScopeClaims, PROTOCOL_CLAIMS } from '../server/oidc/standard-claims.js';
import type { AuthModuleOptions, ClientSeed } from './auth-options.interface.js';
import type { ResolvedClientSeed, ResolvedOpenIdOptions } from './resolved-options.js';

type OpenIdClientFields = Pick<
  ResolvedClientSeed,
  'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'subjectType' | 'sectorIdentifier'
>;

/** Defaults of `oidc` and checks of `oidc.scopeClaims` (shapes are validated with the rest by `resolveAuthOptions`). */
export function resolveOpenIdOptions(raw: AuthModuleOptions, scopes: readonly string[], problems: string[]): ResolvedOpenIdOptions {
  const extra = raw.oidc?.scopeClaims ?? {};
  for (const [scope, claims] of Object.entries(extra)) {
    const path = `oidc.scopeClaims.${scope}`;
    if (!scopes.includes(scope)) problems.push(`${path}: '${scope}' is not in scopes`);
    if (!Array.isArray(claims) || claims.some((claim) => typeof claim !== 'string' || !CLAIM_NAME.test(claim))) {
      problems.push(`${path}: must be a list of claim names`);
      continue;
    }
    claims.filter((claim) => PROTOCOL_CLAIMS.has(claim)).forEach((claim) => problems.push(`${path}: '${claim}' is set by the protocol, not by a scope`));
  }
  return {
    idTokenTtl: raw.oidc?.idTokenTtl ?? 3600,
    requireNonce: raw.oidc?.requireNonce ?? false,
    scopeClaimsInIdToken: raw.oidc?.scopeClaimsInIdToken ?? false,
    scopeClaims: mergeScopeClaims(extra),
    pairwiseSalt: raw.oidc?.pairwiseSalt,
    backchannelLogoutTimeoutMs: raw.oidc?.backchannelLogoutTimeoutMs ?? 5000,
  };
}

/** The OpenID Connect fields of a client seed with defaults, and their problems (by option path). */
export function resolveOpenIdClient(seed: ClientSeed, redirectUris: readonly string[], path: string, problems: string[]): OpenIdClientFields {
  const postLogoutRedirectUris = seed.postLogoutRedirectUris ?? [];
  const fields: OpenIdClientFields = {
    postLogoutRedirectUris,
    backchannelLogoutUri: seed.backchannelLogoutUri,
    subjectType: seed.subjectType ?? 'public',
    sectorIdentifier: seed.sectorIdentifier,
  };
  postLogoutRedirectUris
    .filter((uri) => !isAcceptableRedirectUri(uri))
    .forEach((uri) => problems.push(`${path}.postLogoutRedirectUris: '${uri}' must be absolute, without fragment, https or http on a loopback host`));
  if (fields.backchannelLogoutUri !== undefined && !isAcceptableBackchannelUri(fields.backchannelLogoutUri)) {
    problems.push(`${path}.backchannelLogoutUri: must be an https URL (http only on a loopback host) without fragment`);
  }
  if (fields.subjectType === 'pairwise' && !fields.sectorIdentifier) {
    const hosts = new Set(redirectUris.map((uri) => tryParseUrl(uri)?.host ?? uri));
    if (hosts.size !== 1) problems.push(`${path}.sectorIdentifier: required for a pairwise client whose redirect URIs are not on exactly one host`);
  }
  return fields;
}
