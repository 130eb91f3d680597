import { InvalidTokenError, MissingTokenError } from '../errors/bearer-errors.js';
import { DPOP_NONCE_HEADER, dpopChallenge, RechallengedError } from '../errors/dpop-errors.js';
import { OAuthError } from '../errors/oauth-error.js';
import { unavailableIfStorageDown } from '../errors/storage-unavailable.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { authorizationHeader } from './bearer-token.js';
import type { BearerTokenVerifier } from './bearer-token-verifier.js';
import { readCredentials, type DpopBinding, type PresentedCredentials } from './dpop-binding.js';
import type { RequestWithToken } from './request-token.js';

/** A response whose headers can be set (Express's `res.header`, Fastify's `reply.header`). */
interface HeaderSink {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/** What authenticated a request. */
export interface AuthenticatedRequest {
  token: AccessTokenInfo;
  scheme: PresentedCredentials['scheme'];
}

/**
 * The challenges of a resource's error with DPoP on (RFC 9449 section 7.2): an error of a Bearer request (or of a
 * request without credentials) keeps its Bearer challenge and offers `DPoP algs=...` beside it; an error of a DPoP
 * request is told with the DPoP scheme. Without DPoP, or for answers without a challenge (503), unchanged.
 */
export function challenged(error: unknown, scheme: PresentedCredentials['scheme'], dpop: DpopBinding | undefined): unknown {
  if (!dpop || !(error instanceof OAuthError) || error.headers['WWW-Authenticate'] === undefined) return error;
  if (error instanceof RechallengedError || error.headers['WWW-Authenticate'].startsWith('DPoP ')) return error;
  if (scheme === 'Bearer') return new RechallengedError(error, dpopChallenge(dpop.algorithms), 'append');
  return new RechallengedError(error, dpopChallenge(dpop.algorithms, { error: error.code, error_description: error.description }), 'replace');
}

/**
 * Authenticates a resource request from its Authorization header (RFC 6750 section 2.1, RFC 9449 section 7): the
 * token must verify; a DPoP-bound token only with the DPoP scheme and a valid proof of its key; the DPoP scheme only
 * with DPoP on. On success with server nonces, a fresh `DPoP-Nonce` goes with the response (RFC 9449 section 9).
 * When the storage behind the verifier is down or locked, 503 `temporarily_unavailable` with `Retry-After`: the
 * token may well be valid, so never 401 (which tells a client to drop it), and never a 200 without a check.
 */
export async function authenticateRequest(
  request: RequestWithToken,
  response: unknown,
  verifier: BearerTokenVerifier,
  realm: string,
  dpop: DpopBinding | undefined,
): Promise<AuthenticatedRequest> {
  let credentials: PresentedCredentials | undefined;
  try {
    credentials = readCredentials(authorizationHeader(request), realm, dpop !== undefined);
  } catch (error) {
    throw challenged(error, 'Bearer', dpop);
  }
  if (credentials === undefined) throw challenged(new MissingTokenError(realm), 'Bearer', dpop);
  const { scheme } = credentials;
  try {
    const token = await verifier.verify(credentials.token);
    if (scheme === 'Bearer' && token.cnf) throw new InvalidTokenError(realm, 'The access token is DPoP-bound: send it with the DPoP scheme and a proof');
    if (scheme === 'DPoP') await dpop!.verify(request, credentials.token, token);
    const nonce = scheme === 'DPoP' ? dpop!.freshNonce() : undefined;
    if (nonce !== undefined) setHeader(response, DPOP_NONCE_HEADER, nonce);
    return { token, scheme };
  } catch (error) {
    throw challenged(unavailableIfStorageDown(error), scheme, dpop);
  }
}

function setHeader(response: unknown, name: string, value: string): void {
  const sink = response as HeaderSink | undefined;
  if (typeof sink?.header === 'function') sink.header(name, value);
  else if (typeof sink?.setHeader === 'function') sink.setHeader(name, value);
}
