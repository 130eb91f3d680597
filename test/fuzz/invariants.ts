import { expect } from 'vitest';
import type { OAuthErrorCode } from '../../src/index.js';
import type { TestResponse } from '../support/http.js';
import { expectPageHeaders } from '../support/page-headers.js';
import { expectErrorEnvelope, expectNoStore } from '../token-endpoint/helpers.js';

/**
 * Error codes of the IANA "OAuth Extensions Error" registry that authnest's endpoints may answer (RFC 6749 section
 * 5.2, RFC 6750, RFC 7009, RFC 7591, RFC 8628, RFC 8707, RFC 9449 and OpenID Connect Core section 3.1.2.6).
 */
export const REGISTERED_ERRORS: readonly OAuthErrorCode[] = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'login_required',
  'consent_required',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
];

/**
 * What no response body may contain: stack frames, source paths, driver and SQL text, JavaScript error names (protocol
 * errors are also held to `expectErrorEnvelope`'s list, which refuses Nest's `statusCode` bodies there).
 */
const LEAKS: readonly RegExp[] = [
  /\n\s+at\s/,
  /\bat \S+ \(.*:\d+:\d+\)/,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /node_modules|\/work\/|\/tmp\//,
  /QueryFailedError|TypeORMError|EntityNotFound|SQLITE_|\bsqlite3?\b|PostgreSQL|relation "|authnest_[a-z]/i,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|Unexpected token|Cannot read propert)/,
  /\b(?:SELECT\b.*\bFROM|INSERT INTO|UPDATE\b.*\bSET|DELETE FROM)\b/,
  /"stack"/,
];

/** Every response: never 5xx, never internal text in the body (`summary` names the request in the failure). */
export function expectNoFault(res: TestResponse, summary: string): void {
  expect(res.status, summary).toBeLessThan(500);
  for (const leak of LEAKS) expect(res.text, `${summary}\nleaks ${leak}`).not.toMatch(leak);
}

/** A bare RFC 6750 section 3.1 challenge: a request without a token gets no error code, in the header or the body. */
function isBareChallenge(res: TestResponse): boolean {
  const challenge = res.headers.get('www-authenticate') ?? '';
  return res.status === 401 && /^(?:Bearer|DPoP)\b/.test(challenge) && !challenge.includes('error=');
}

/**
 * Protocol endpoints (token, revocation, introspection, registration, device authorization, PAR, userinfo): an error
 * is RFC 6749 section 5.2 JSON with a registered code and `Cache-Control: no-store` (a 401 to a request without any
 * token may omit the code, RFC 6750 section 3.1); a success is JSON too (or empty, as revocation answers).
 */
export function expectProtocolAnswer(res: TestResponse, summary: string): void {
  expectNoFault(res, summary);
  if (res.status >= 400) {
    const bare = res.body.error === undefined && isBareChallenge(res);
    try {
      if (bare) expectNoStore(res);
      else expectErrorEnvelope(res);
    } catch (error) {
      throw new Error(`${summary}\n${error instanceof Error ? error.message : String(error)}`);
    }
    if (bare) expect(Object.keys(res.body).every((key) => key === 'error_description'), summary).toBe(true);
    else expect(REGISTERED_ERRORS, summary).toContain(res.body.error);
  } else if (res.text !== '') {
    expect(res.headers.get('content-type'), summary).toMatch(/^application\/json\b/);
  }
}

/** The guarded host route and userinfo: a 400, 401 or 403 carries an RFC 6750 (or RFC 9449 DPoP) challenge. */
export function expectBearerAnswer(res: TestResponse, summary: string): void {
  expectNoFault(res, summary);
  // A body the platform's parser refused (Fastify and an empty JSON body) is a 400 before authnest read any token:
  // RFC 6750 section 3 asks for the challenge when the token is missing or wrong, not then.
  const unparsed = res.status === 400 && res.body.error_description === 'The request could not be parsed';
  if ([400, 401, 403].includes(res.status) && !unparsed) {
    expect(res.headers.get('www-authenticate') ?? '(no WWW-Authenticate)', summary).toMatch(/^(?:Bearer|DPoP)(?:\s|$)/);
    if (res.body.error === undefined) expect(isBareChallenge(res), `${summary}\nan error without a code`).toBe(true);
    else expect(REGISTERED_ERRORS, summary).toContain(res.body.error);
  }
}

/** Where a browser endpoint may send the browser: its own pages, or a URI a client registered. */
export function isAllowedLocation(location: string, issuer: string, registered: readonly string[]): boolean {
  if (location.startsWith('/') && !location.startsWith('//')) return true;
  if (location.startsWith(`${issuer}/`)) return true;
  return registered.some((uri) => location === uri || location.startsWith(`${uri}?`) || location.startsWith(`${uri}#`));
}

/**
 * The origin a page's form may lead to besides itself (its CSP `form-action`, e.g. a login page whose post redirects to
 * the client): only ever the origin of a registered URI.
 */
function formTargetOf(res: TestResponse, registered: readonly string[]): string | undefined {
  const formAction = /form-action ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1] ?? '';
  const target = formAction.split(' ').find((source) => source !== "'self'");
  return target && registered.some((uri) => new URL(uri).origin === target) ? target : undefined;
}

/** Browser endpoints: an HTML page (errors with the page security headers), or a redirect to an allowed place. */
export function expectBrowserAnswer(res: TestResponse, summary: string, issuer: string, registered: readonly string[]): void {
  expectNoFault(res, summary);
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? '';
    expect(isAllowedLocation(location, issuer, registered), `${summary}\nredirects to ${location}`).toBe(true);
    return;
  }
  expect(res.headers.get('content-type'), summary).toMatch(/^text\/html\b/);
  if (res.status >= 400) {
    expect(res.headers.get('location'), summary).toBeNull();
    try {
      expectPageHeaders(res, formTargetOf(res, registered));
    } catch (error) {
      throw new Error(`${summary}\n${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Whether a browser endpoint refused the request: an error page, or an error redirect to the client. */
export function browserRefused(res: TestResponse): boolean {
  if (res.status >= 400) return true;
  const location = res.headers.get('location');
  return location !== null && /[?#&]error=/.test(location);
}
