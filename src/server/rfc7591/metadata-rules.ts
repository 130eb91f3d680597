import { InvalidClientMetadataError, InvalidRedirectUriError } from '../../errors/registration-errors.js';
import type { OAuthError } from '../../errors/oauth-error.js';
import { parseScope } from '../../internal/scope.js';
import { isAcceptableBackchannelUri, isLoopbackHost, isSafeServerUrl, tryParseUrl } from '../../internal/url-rules.js';
import type { ClientAuthMethod } from '../../options/auth-options.interface.js';
import { resolveClient } from '../../options/resolve-options.js';
import type { ResolvedRegistrationOptions } from '../../options/resolve-registration-options.js';
import type { ResolvedClientSeed } from '../../options/resolved-options.js';
import { INFORMATION_MEMBERS, type RequestedMetadata } from './client-metadata.js';
import { hasNonPublicHost } from './non-public-host.js';

/** What the rules depend on besides the metadata. */
export interface MetadataContext {
  registration: ResolvedRegistrationOptions;
  /** The algorithm ID tokens are signed with (`signing.algorithm`). */
  signingAlgorithm: string;
  /** `clientAssertions.allowPrivateJwksUri`: lets jwks_uri, sector_identifier_uri and backchannel_logout_uri be non-public. */
  allowPrivateUris: boolean;
  /** The server's grants, and whether each accepts public clients. */
  grants: ReadonlyMap<string, { allowsPublicClients: boolean }>;
  /** `dpop` is on: `dpop_bound_access_tokens` may be registered (RFC 9449 section 5.2). */
  dpopEnabled?: boolean;
}

/** Registered metadata turned into a client, before any secret exists. */
export interface ValidatedMetadata {
  /** The client to store; `clientSecret` is never set here (the caller generates or keeps one). */
  seed: ResolvedClientSeed;
  /** The method needs a client secret (`client_secret_basic`, `client_secret_post`, `client_secret_jwt`). */
  needsSecret: boolean;
  /** Metadata kept and returned as registered, not acted on (`registration_metadata`). */
  stored: Record<string, unknown>;
}

const SECRET_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
/** Query parameters of the authorization response: a redirect URI carrying them would be ambiguous. */
const RESPONSE_PARAMETERS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'id_token', 'access_token'];
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/;
const JWS_ALGORITHM = /^(?:[RP]S|ES)(?:256|384|512)$|^EdDSA$|^Ed25519$|^HS(?:256|384|512)$/;

const invalid = (member: string, why: string) => new InvalidClientMetadataError(`Invalid ${member}: ${why}`);

/**
 * Why a redirect URI may not be registered, or undefined (RFC 6749 section 3.1.2, RFC 8252 sections 7 and 8.4, RFC
 * 9700 section 2.1): absolute, no fragment, no user information, no wildcard, no authorization response parameter
 * in the query; https, http on a loopback host, or (native clients only) a reverse-domain private-use scheme.
 */
function redirectUriProblem(value: string, native: boolean): string | undefined {
  const url = tryParseUrl(value);
  if (!url) return 'must be absolute URIs';
  if (url.hash || value.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not carry user information';
  if (url.hostname.includes('*')) return 'must not use wildcards (redirect URIs are matched exactly)';
  if ([...url.searchParams.keys()].some((key) => RESPONSE_PARAMETERS.includes(key))) return 'must not have query parameters of the authorization response';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : 'may use http only on a loopback host';
  if (!native) return 'of a web client must be https (private-use schemes are for native clients)';
  return PRIVATE_USE_SCHEME.test(url.protocol) ? undefined : 'must use a private-use scheme in reverse domain name form';
}

function checkRedirectUris(member: string, uris: readonly string[], native: boolean): void {
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, native);
    if (problem) throw new InvalidRedirectUriError(`Invalid ${member}: ${member} ${problem}`);
  }
}

/** A URL shown to users (client_uri, logo_uri, tos_uri, policy_uri): https (http on loopback), no user information. */
function checkInformationUrl(member: string, value: string | undefined): void {
  if (value === undefined) return;
  const url = tryParseUrl(value);
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!url || !secure || url.username || url.password) throw invalid(member, 'must be an https URL');
}

/** A URL the server may fetch or call (jwks_uri, sector_identifier_uri, backchannel_logout_uri): public unless allowed. */
function checkOutboundUrl(member: string, value: string | undefined, acceptable: (value: string) => boolean, allowPrivate: boolean): void {
  if (value === undefined) return;
  const url = tryParseUrl(value);
  if (!url || !acceptable(value)) throw invalid(member, 'must be an https URL without fragment');
  if (!allowPrivate && (url.protocol !== 'https:' || hasNonPublicHost(url))) throw invalid(member, 'must point at a public https host');
}

/** Grant types and response types, defaulted from each other and consistent (RFC 7591 section 2.1). */
function grantAndResponseTypes(requested: RequestedMetadata, context: MetadataContext): { grantTypes: string[]; responseTypes: string[] } {
  if (requested.response_types?.some((type) => type !== 'code')) throw invalid('response_types', "this server supports 'code' only");
  const grantTypes = requested.grant_types ?? (requested.response_types && !requested.response_types.includes('code') ? [] : ['authorization_code']);
  const responseTypes = requested.response_types ?? (grantTypes.includes('authorization_code') ? ['code'] : []);
  if (grantTypes.length === 0) throw invalid('grant_types', 'must name at least one grant type');
  const refused = grantTypes.find((type) => !context.grants.has(type) || !context.registration.grantTypes.includes(type));
  if (refused) throw invalid('grant_types', 'lists a grant type registered clients may not use');
  if (grantTypes.includes('authorization_code') !== responseTypes.includes('code')) {
    throw invalid('response_types', "'code' goes with the authorization_code grant type and only with it");
  }
  return { grantTypes, responseTypes };
}

function authMethod(requested: RequestedMetadata, grantTypes: readonly string[], context: MetadataContext): ClientAuthMethod {
  const method = (requested.token_endpoint_auth_method ?? 'client_secret_basic') as ClientAuthMethod;
  if (!context.registration.authMethods.includes(method)) throw invalid('token_endpoint_auth_method', 'is not one registered clients may use');
  if (method === 'none' && grantTypes.some((type) => !context.grants.get(type)?.allowsPublicClients)) {
    throw invalid('token_endpoint_auth_method', "'none' (a public client) cannot use every grant type listed");
  }
  return method;
}

function scopesOf(requested: RequestedMetadata, context: MetadataContext): string[] {
  if (requested.scope === undefined) return [...context.registration.defaultScopes];
  const scopes = parseScope(requested.scope);
  if (!scopes) throw invalid('scope', 'must be space-separated scope tokens');
  if (scopes.some((scope) => !context.registration.allowedScopes.includes(scope))) throw invalid('scope', 'names a scope registered clients may not have');
  return scopes;
}

/** The sector of a pairwise client given by `sector_identifier_uri`: its host, which must be the host of every redirect URI. */
function sectorOf(requested: RequestedMetadata, redirectUris: readonly string[]): string | undefined {
  if (requested.sector_identifier_uri === undefined) return undefined;
  const host = tryParseUrl(requested.sector_identifier_uri)?.host;
  if (!host || redirectUris.some((uri) => tryParseUrl(uri)?.host !== host)) {
    throw invalid('sector_identifier_uri', 'must be on the host of every redirect URI (it is not fetched)');
  }
  return host;
}

/** How a problem of `resolveClient` (by seed field) reads for a registration: the RFC 7591 member and a fixed hint. */
const SEED_FIELDS: Record<string, [string, string]> = {
  redirectUris: ['redirect_uris', 'must be https, http on a loopback host, or a private-use scheme, without fragment'],
  postLogoutRedirectUris: ['post_logout_redirect_uris', 'must be https, http on a loopback host, or a private-use scheme, without fragment'],
  jwks: ['jwks', 'must be a JWK Set of public RSA, EC or OKP keys (private_key_jwt needs jwks or jwks_uri)'],
  jwksUri: ['jwks_uri', 'must be an https URL without query or fragment, for private_key_jwt, and not together with jwks'],
  tokenEndpointAuthSigningAlg: ['token_endpoint_auth_signing_alg', 'must suit the method (HS256/384/512 for client_secret_jwt, asymmetric for private_key_jwt)'],
  authMethods: ['token_endpoint_auth_method', 'does not suit the keys given (jwks and jwks_uri are for private_key_jwt)'],
  backchannelLogoutUri: ['backchannel_logout_uri', 'must be an https URL without fragment'],
  sectorIdentifier: ['sector_identifier_uri', 'required for a pairwise client whose redirect URIs are on several hosts'],
  scopes: ['scope', 'names a scope registered clients may not have'],
};

function seedProblemError(problem: string): OAuthError {
  const field = /^clients\[0\]\.([A-Za-z]+)/.exec(problem)?.[1] ?? '';
  const [member, hint] = SEED_FIELDS[field] ?? ['client metadata', 'the combination is not accepted'];
  const message = `Invalid ${member}: ${hint}`;
  return member.endsWith('redirect_uris') ? new InvalidRedirectUriError(message) : new InvalidClientMetadataError(message);
}

function storedMetadata(requested: RequestedMetadata, applicationType: string): Record<string, unknown> {
  const stored: Record<string, unknown> = { application_type: applicationType };
  const keep = ['client_name', ...INFORMATION_MEMBERS, 'backchannel_logout_session_required', 'sector_identifier_uri', 'id_token_signed_response_alg'] as const;
  for (const name of keep) if (requested[name] !== undefined) stored[name] = requested[name];
  return stored;
}

/**
 * Checks registered metadata (RFC 7591 section 2, OpenID Connect Dynamic Client Registration 1.0 section 2) and
 * turns it into a client seed checked by the same rules as configured clients (`resolveClient`). The first problem
 * throws `invalid_redirect_uri` or `invalid_client_metadata` naming the member; nothing is stored before this passes.
 */
export function validateMetadata(requested: RequestedMetadata, clientId: string, context: MetadataContext): ValidatedMetadata {
  const applicationType = requested.application_type ?? 'web';
  if (applicationType !== 'web' && applicationType !== 'native') throw invalid('application_type', "must be 'web' or 'native'");
  const native = applicationType === 'native';
  const { grantTypes } = grantAndResponseTypes(requested, context);
  const method = authMethod(requested, grantTypes, context);
  const redirectUris = requested.redirect_uris ?? [];
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new InvalidRedirectUriError('Invalid redirect_uris: required for the authorization_code grant type');
  }
  checkRedirectUris('redirect_uris', redirectUris, native);
  checkRedirectUris('post_logout_redirect_uris', requested.post_logout_redirect_uris ?? [], native);
  const scopes = scopesOf(requested, context);
  for (const name of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri'] as const) checkInformationUrl(name, requested[name]);
  const { allowPrivateUris } = context;
  checkOutboundUrl('jwks_uri', requested.jwks_uri, isSafeServerUrl, allowPrivateUris);
  checkOutboundUrl('backchannel_logout_uri', requested.backchannel_logout_uri, isAcceptableBackchannelUri, allowPrivateUris);
  checkOutboundUrl('sector_identifier_uri', requested.sector_identifier_uri, isAcceptableBackchannelUri, allowPrivateUris);
  const subjectType = requested.subject_type ?? 'public';
  if (subjectType !== 'public' && subjectType !== 'pairwise') throw invalid('subject_type', "must be 'public' or 'pairwise'");
  const idTokenAlg = requested.id_token_signed_response_alg;
  if (idTokenAlg !== undefined && idTokenAlg !== context.signingAlgorithm) throw invalid('id_token_signed_response_alg', 'must be the algorithm this server signs with');
  const assertionAlg = requested.token_endpoint_auth_signing_alg;
  if (assertionAlg !== undefined && !JWS_ALGORITHM.test(assertionAlg)) throw invalid('token_endpoint_auth_signing_alg', 'must be a JWS algorithm other than none');
  const needsSecret = SECRET_METHODS.includes(method);
  if (requested.dpop_bound_access_tokens && !context.dpopEnabled) throw invalid('dpop_bound_access_tokens', 'this server does not support it');
  const problems: string[] = [];
  const seed = resolveClient(
    {
      clientId,
      // Only the presence of a secret is checked here; the caller generates or keeps the real one.
      clientSecret: needsSecret ? 'placeholder-secret' : undefined,
      name: requested.client_name ?? clientId,
      authMethods: [method],
      grantTypes,
      scopes,
      defaultScopes: [],
      redirectUris,
      firstParty: false,
      allowIntrospection: false,
      postLogoutRedirectUris: requested.post_logout_redirect_uris,
      backchannelLogoutUri: requested.backchannel_logout_uri,
      subjectType,
      sectorIdentifier: sectorOf(requested, redirectUris),
      jwks: requested.jwks,
      jwksUri: requested.jwks_uri,
      tokenEndpointAuthSigningAlg: assertionAlg,
      requirePushedAuthorizationRequests: requested.require_pushed_authorization_requests,
      dpopBoundAccessTokens: requested.dpop_bound_access_tokens,
    },
    0,
    new Set(context.registration.allowedScopes),
    problems,
  );
  if (problems.length > 0) throw seedProblemError(problems[0]!);
  const { clientSecret: _placeholder, ...withoutSecret } = seed;
  return { seed: withoutSecret, needsSecret, stored: storedMetadata(requested, applicationType) };
}
