import { AuthorizationRedirectError } from '../authorize/authorization-request.js';
import { CLAIM_NAME } from './standard-claims.js';

/** Individual claims asked for by the `claims` request parameter (OpenID Connect Core section 5.5), by target. */
export interface RequestedClaims {
  /** Claim names to release at the UserInfo endpoint. */
  userinfo: string[];
  /** Claim names to put in the ID token. */
  idToken: string[];
  /** `sub` with a `value` for the ID token (section 5.5.1): only that user may be the answer. */
  subject?: string;
  /** The request's `claims_locales` (section 5.2), passed on to `AccountService.claimsFor` wherever claims are released. */
  locales?: string[];
}

export const NO_REQUESTED_CLAIMS: RequestedClaims = Object.freeze({ userinfo: [], idToken: [] }) as RequestedClaims;

function invalid(): AuthorizationRedirectError {
  return new AuthorizationRedirectError('invalid_request', 'The claims parameter is malformed');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Section 5.5.1: each member is `null` or an object with optional `essential` (boolean), `value` or `values`. */
function readMembers(value: unknown): Map<string, Record<string, unknown> | null> {
  const members = new Map<string, Record<string, unknown> | null>();
  if (value === undefined) return members;
  if (!isRecord(value)) throw invalid();
  for (const [name, spec] of Object.entries(value)) {
    if (!CLAIM_NAME.test(name)) throw invalid();
    if (spec !== null && !isRecord(spec)) throw invalid();
    if (spec && spec.essential !== undefined && typeof spec.essential !== 'boolean') throw invalid();
    if (spec && spec.values !== undefined && !Array.isArray(spec.values)) throw invalid();
    members.set(name, spec);
  }
  return members;
}

/**
 * Parses the `claims` parameter: a JSON object with optional `userinfo` and `id_token` members (other members are
 * ignored). Claims the server does not release (not in `supported`) are dropped, as section 5.5 allows; the
 * `sub` value requested for the ID token is kept to be enforced. Not JSON, or a wrong shape: `invalid_request`.
 */
export function parseClaimsParameter(value: string | undefined, supported: ReadonlySet<string>): RequestedClaims {
  if (value === undefined) return NO_REQUESTED_CLAIMS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid();
  }
  if (!isRecord(parsed)) throw invalid();
  const userinfo = readMembers(parsed.userinfo);
  const idToken = readMembers(parsed.id_token);
  const requestedSub = idToken.get('sub')?.value;
  if (requestedSub !== undefined && typeof requestedSub !== 'string') throw invalid();
  const released = (members: Map<string, unknown>) => [...members.keys()].filter((name) => supported.has(name));
  const claims: RequestedClaims = { userinfo: released(userinfo), idToken: released(idToken) };
  if (requestedSub !== undefined) claims.subject = requestedSub;
  return claims;
}

/** Every claim name a request names, for consent (both targets). */
export function requestedClaimNames(claims: RequestedClaims): string[] {
  return [...new Set([...claims.idToken, ...claims.userinfo])];
}

/** The requested claims with the request's `claims_locales` (kept with them through codes, tokens and refreshes). */
export function withClaimsLocales(claims: RequestedClaims | undefined, locales: readonly string[] | undefined): RequestedClaims | undefined {
  if (!locales || locales.length === 0) return claims;
  return { userinfo: claims?.userinfo ?? [], idToken: claims?.idToken ?? [], locales: [...locales] };
}

/** The stored form (a text column), or null when nothing was asked for. */
export function serializeRequestedClaims(claims: RequestedClaims | undefined): string | null {
  const locales = claims?.locales ?? [];
  if (!claims || (claims.userinfo.length === 0 && claims.idToken.length === 0 && locales.length === 0)) return null;
  return JSON.stringify({ userinfo: claims.userinfo, idToken: claims.idToken, ...(locales.length > 0 ? { locales } : {}) });
}

/** Reads the stored form back (anything unreadable counts as nothing asked for). */
export function deserializeRequestedClaims(stored: string | null | undefined): RequestedClaims {
  if (!stored) return NO_REQUESTED_CLAIMS;
  try {
    const parsed = JSON.parse(stored) as Partial<RequestedClaims>;
    const names = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
    const claims: RequestedClaims = { userinfo: names(parsed.userinfo), idToken: names(parsed.idToken) };
    const locales = names(parsed.locales);
    if (locales.length > 0) claims.locales = locales;
    return claims;
  } catch {
    return NO_REQUESTED_CLAIMS;
  }
}
