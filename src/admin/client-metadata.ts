import type { ClientSeed } from '../options/client-seed.interface.js';
import { ClientSeedSchema } from '../options/auth-options.schema.js';
import type { ClientAuthMethod } from '../options/auth-options.interface.js';
import type { ClientJwks } from '../options/client-auth-options.interface.js';
import type { SubjectType } from '../options/oidc-options.interface.js';
import { resolveClient } from '../options/resolve-options.js';
import type { ResolvedAuthOptions, ResolvedClientSeed } from '../options/resolved-options.js';
import { validationProblems } from '../options/validation-problems.js';
import type { ClientEntity } from '../persistence/entities/client.entity.js';
import { AuthAdminError } from './auth-admin.error.js';
import type { ServerSetting } from './server-settings.js';

/** Stands for a secret that exists (or is about to be generated) while the metadata is validated; never stored. */
const SECRET_PLACEHOLDER = 'secret-placeholder';

/** What the server offers, to validate a client against: the options, whether it has a grant, what is not known. */
export interface ClientRules {
  options: ResolvedAuthOptions;
  hasGrant(grantType: string): boolean;
  /** Settings the options do not tell (the CLI without them in its config): not checked. */
  unknown: ReadonlySet<ServerSetting>;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** A stored client as the seed that would produce it (without its secret). */
export function seedOf(client: ClientEntity): ClientSeed {
  return {
    clientId: client.clientId,
    name: client.name,
    authMethods: client.authMethods as ClientAuthMethod[],
    grantTypes: client.grantTypes,
    scopes: client.scopes,
    defaultScopes: client.defaultScopes,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris ?? [],
    backchannelLogoutUri: orUndefined(client.backchannelLogoutUri),
    subjectType: client.subjectType as SubjectType,
    sectorIdentifier: orUndefined(client.sectorIdentifier),
    accessTokenFormat: orUndefined(client.accessTokenFormat) as ClientSeed['accessTokenFormat'],
    audience: orUndefined(client.audience),
    resources: orUndefined(client.resources),
    firstParty: client.firstParty,
    allowIntrospection: client.allowIntrospection,
    jwks: orUndefined(client.jwks) as ClientJwks | undefined,
    jwksUri: orUndefined(client.jwksUri),
    tokenEndpointAuthSigningAlg: orUndefined(client.tokenEndpointAuthSigningAlg),
    requirePushedAuthorizationRequests: client.requirePushedAuthorizationRequests,
    dpopBoundAccessTokens: client.dpopBoundAccessTokens,
  };
}

/** Drops the fields given as undefined, so they do not replace stored values. */
function defined<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Validates a client's metadata as the boot validates seeds (shapes, unknown fields, scopes among the server's,
 * default scopes among the client's, redirect URIs, keys, authentication methods), plus what only the running server
 * knows: each grant type must be one of its grants, each resource configured, DPoP on for `dpopBoundAccessTokens`.
 * `hasSecret`: the client has (or is about to get) a secret. Throws `AuthAdminError('invalid')` listing every problem.
 */
export function validateClientMetadata(seed: ClientSeed, hasSecret: boolean, rules: ClientRules): ResolvedClientSeed {
  const problems = validationProblems(ClientSeedSchema, { ...seed, clientSecret: undefined }, 'client');
  if (problems.length > 0) throw new AuthAdminError('invalid', 'invalid client metadata', problems);
  // Unknown server scopes: every scope the client names counts as one (the server refuses others at its endpoints).
  const scopes = new Set(rules.unknown.has('scopes') ? [...(seed.scopes ?? [])] : rules.options.scopes);
  const resolved = resolveClient({ ...seed, clientSecret: hasSecret ? SECRET_PLACEHOLDER : undefined }, 0, scopes, problems);
  resolved.grantTypes.filter((grantType) => !rules.hasGrant(grantType)).forEach((grantType) => problems.push(`client.grantTypes: '${grantType}' is not a supported grant type`));
  const resources = new Set(rules.options.resources.map((resource) => resource.uri));
  if (!rules.unknown.has('resources')) {
    (resolved.resources ?? []).filter((uri) => !resources.has(uri)).forEach((uri) => problems.push(`client.resources: '${uri}' is not in resources`));
  }
  if (resolved.dpopBoundAccessTokens && !rules.options.dpop.enabled && !rules.unknown.has('dpop')) {
    problems.push('client.dpopBoundAccessTokens: needs the dpop option (DPoP is off)');
  }
  const named = problems.map((problem) => problem.replace(/^clients\[0\]/, 'client'));
  if (named.length > 0) throw new AuthAdminError('invalid', 'invalid client metadata', named);
  return { ...resolved, clientSecret: undefined };
}

/** A new client's seed: confidential by default (a secret is generated unless it authenticates with keys or `none`). */
export function newClientSeed(clientId: string, input: Omit<ClientSeed, 'clientId' | 'clientSecret'>): { seed: ClientSeed; needsSecret: boolean } {
  const keys = input.jwks !== undefined || input.jwksUri !== undefined;
  const authMethods = input.authMethods ?? [keys ? 'private_key_jwt' : 'client_secret_basic'];
  const needsSecret = authMethods.some((method) => method !== 'none' && method !== 'private_key_jwt');
  return { seed: { ...input, clientId, authMethods }, needsSecret };
}

/** A stored client's seed with `changes` applied (fields given as undefined keep their stored value). */
export function changedSeed(client: ClientEntity, changes: Omit<ClientSeed, 'clientId' | 'clientSecret'> | Partial<ClientSeed>): ClientSeed {
  const { clientId: _id, clientSecret: _secret, ...rest } = changes as Partial<ClientSeed>;
  return { ...seedOf(client), ...defined(rest) };
}
