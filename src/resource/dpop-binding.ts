import { MalformedBearerRequestError } from '../errors/bearer-errors.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { extractBearerToken } from './bearer-token.js';

/**
 * The port between the guards and DPoP (RFC 9449 section 7): bound when DPoP is on (`AuthModule` with `dpop`,
 * `AuthResourceModule` with `dpop`). Without it the guards know the Bearer scheme only, and still refuse DPoP-bound
 * tokens sent with it.
 */
export interface DpopBinding {
  /** Algorithms accepted on proofs (the `algs` of the `DPoP` challenge). */
  readonly algorithms: readonly string[];
  /**
   * Checks the proof of a request made with the DPoP scheme: one `DPoP` header, a valid proof for this request's
   * method and URI and for `accessToken` (`ath`), by the key the token is bound to. Throws `DpopResourceError`.
   */
  verify(request: object, accessToken: string, token: AccessTokenInfo): Promise<void>;
  /** The nonce to send with a successful response, when proofs must carry nonces. */
  freshNonce(): string | undefined;
}

/** DI token of the `DpopBinding`; absent when DPoP is off. */
export const DPOP_BINDING = Symbol('authnest:dpop-binding');

/** How the access token travelled in the Authorization header. */
export interface PresentedCredentials {
  scheme: 'Bearer' | 'DPoP';
  token: string;
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 8192;

/**
 * The access token of an Authorization header (RFC 6750 section 2.1, RFC 9449 section 7.1): the Bearer scheme, or,
 * when `dpop` is true, the DPoP scheme (case-insensitive names, one token of `b64token` syntax). Undefined when
 * neither was sent; 400 `invalid_request` for a malformed or repeated header.
 */
export function readCredentials(header: string | string[] | undefined, realm: string, dpop: boolean): PresentedCredentials | undefined {
  const bearer = extractBearerToken(header, realm);
  if (bearer !== undefined) return { scheme: 'Bearer', token: bearer };
  if (!dpop || typeof header !== 'string') return undefined;
  const match = /^dpop(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  const token = match[1]?.trim() ?? '';
  if (token === '' || token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) {
    throw new MalformedBearerRequestError(realm, 'The Authorization header is malformed');
  }
  return { scheme: 'DPoP', token };
}
