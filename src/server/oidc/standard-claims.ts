/**
 * Claims released by the standard scopes (OpenID Connect Core section 5.4) and the claims the protocol itself
 * sets, which an `AccountService` can never supply or override.
 */
export const STANDARD_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** Claims of ID tokens and logout tokens that authnest sets itself (section 2, Back-Channel Logout section 2.4). */
export const PROTOCOL_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'c_hash',
  'sid',
  'events',
  'cnf',
  'client_id',
  'scope',
]);

/** The claim names of RFC 7519 section 4.1.2 and OpenID Connect Core section 5.1: printable, no spaces. */
export const CLAIM_NAME = /^[\x21-\x7E]{1,128}$/;

/** The standard mapping with `extra` merged over it (an entry for a standard scope replaces its list). */
export function mergeScopeClaims(extra: Readonly<Record<string, readonly string[]>> = {}): Record<string, readonly string[]> {
  return { ...STANDARD_SCOPE_CLAIMS, ...extra };
}

/** Every claim name the granted scopes release, in mapping order. */
export function claimsOfScopes(scopes: readonly string[], mapping: Readonly<Record<string, readonly string[]>>): string[] {
  return [...new Set(scopes.flatMap((scope) => mapping[scope] ?? []))];
}

/** Every claim name any scope of the mapping can release (for `claims_supported`). */
export function releasableClaims(mapping: Readonly<Record<string, readonly string[]>>): string[] {
  return [...new Set(Object.values(mapping).flat())];
}
