import { AuthorizationRedirectError } from '../authorize/authorization-request.js';
import type { FormParameters } from '../rfc6749/token-request.js';

/** The OpenID Connect parameters of an authorization request (OpenID Connect Core section 3.1.2.1), as parsed. */
export interface AuthenticationParameters {
  /** Seconds since the last active authentication after which the user must log in again. */
  maxAge?: number;
  /** A hint of who logs in (prefills the builtin login page's username). */
  loginHint?: string;
  /** Preferred languages of the pages (BCP 47 tags, in order). */
  uiLocales?: string[];
  /** Preferred languages of claim values (passed to `AccountService.claimsFor`). */
  claimsLocales?: string[];
  /** Requested authentication context classes, in order of preference (passed to custom pages). */
  acrValues?: string[];
}

const MAX_AGE = /^\d{1,10}$/;
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const ACR_VALUE = /^[\x21-\x7E]{1,255}$/;
const MAX_LOGIN_HINT = 255;

/** Space-separated values that fit `pattern`; others are ignored (section 3.1.2.1: not an error). */
function tokens(value: string | undefined, pattern: RegExp): string[] | undefined {
  if (value === undefined) return undefined;
  const list = [...new Set(value.split(' ').filter((item) => pattern.test(item)))];
  return list.length > 0 ? list : undefined;
}

/**
 * Reads `max_age` (a non-negative integer of seconds; anything else is `invalid_request`), `login_hint`,
 * `ui_locales`, `claims_locales` and `acr_values` (values outside their syntax are ignored).
 */
export function parseAuthenticationParameters(params: FormParameters): AuthenticationParameters {
  const parsed: AuthenticationParameters = {};
  if (params.max_age !== undefined) {
    if (!MAX_AGE.test(params.max_age) || Number(params.max_age) > 2_147_483_647) {
      throw new AuthorizationRedirectError('invalid_request', 'The max_age parameter must be a non-negative number of seconds');
    }
    parsed.maxAge = Number(params.max_age);
  }
  if (params.login_hint !== undefined && params.login_hint.length <= MAX_LOGIN_HINT) parsed.loginHint = params.login_hint;
  const uiLocales = tokens(params.ui_locales, LANGUAGE_TAG);
  if (uiLocales) parsed.uiLocales = uiLocales;
  const claimsLocales = tokens(params.claims_locales, LANGUAGE_TAG);
  if (claimsLocales) parsed.claimsLocales = claimsLocales;
  const acrValues = tokens(params.acr_values, ACR_VALUE);
  if (acrValues) parsed.acrValues = acrValues;
  return parsed;
}

/** Whether a login at `authTime` (ms) is too old for `maxAge` (seconds) at `now` (ms); `max_age=0` always is. */
export function exceedsMaxAge(authTime: number, maxAge: number | undefined, now: number): boolean {
  if (maxAge === undefined) return false;
  return maxAge === 0 || now - authTime > maxAge * 1000;
}
