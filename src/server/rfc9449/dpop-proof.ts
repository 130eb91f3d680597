import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { constantTimeEqual } from '../../internal/constant-time.js';
import { normalizeHtu } from './htu.js';

/** Longer `DPoP` header values are refused before any parsing. */
export const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const MAX_NONCE_LENGTH = 512;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** JWK members that only private or symmetric keys have (RFC 7518 section 6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_KEY_TYPES = ['EC', 'RSA', 'OKP'];

/** What a proof must match: the request, the server's time and, at a resource, the access token sent with it. */
export interface ProofExpectations {
  /** The request's method (`htm`). */
  method: string;
  /** The request's URI in `normalizeHtu` form (`htu`). */
  htu: string;
  /** Asymmetric algorithms accepted. */
  algorithms: readonly string[];
  /** Seconds since the epoch. */
  now: number;
  /** Seconds after `iat` the proof is still accepted. */
  maxAge: number;
  /** Seconds `iat` may be ahead of `now`. */
  leeway: number;
  /** The access token of the request: then `ath` must be its hash (RFC 9449 section 4.2). */
  accessToken?: string;
}

/** A proof that passed every check but the server's own (nonce, `jti` replay). */
export interface VerifiedProof {
  /** JWK SHA-256 thumbprint (RFC 7638) of the proof's key. */
  jkt: string;
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  nonce?: string;
}

/** Why a proof is refused: the message is a fixed description, never echoed input. */
export class DpopProofProblem extends Error {
  override readonly name = 'DpopProofProblem';
}

/** `ath` (RFC 9449 section 4.2): base64url of the SHA-256 of the access token's ASCII. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const problem = (description: string) => new DpopProofProblem(description);

/** The header checks of RFC 9449 section 4.3 steps 1 to 6: a JWS with `typ`, an accepted `alg`, a public `jwk`. */
function checkHeader(proof: string, algorithms: readonly string[]): string {
  if (proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) throw problem('The DPoP proof is not a signed JWT');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw problem('The DPoP proof is not a signed JWT');
  }
  if (header.typ !== 'dpop+jwt') throw problem('The DPoP proof must have typ dpop+jwt');
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw problem('The DPoP proof is signed with an algorithm this server does not accept');
  const jwk: unknown = header.jwk;
  if (!isObject(jwk) || typeof jwk.kty !== 'string') throw problem('The DPoP proof must carry its public key in the jwk header');
  if (!PUBLIC_KEY_TYPES.includes(jwk.kty) || PRIVATE_MEMBERS.some((name) => name in jwk)) throw problem('The DPoP proof jwk must be a public key');
  return header.alg;
}

async function verifiedPayload(proof: string, alg: string, expected: ProofExpectations): Promise<JWTPayload> {
  try {
    const options = { algorithms: [alg], typ: 'dpop+jwt', currentDate: new Date(expected.now * 1000), clockTolerance: expected.leeway };
    return (await jwtVerify(proof, EmbeddedJWK, options)).payload;
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw problem('The DPoP proof signature is invalid');
    if (error instanceof joseErrors.JWTExpired || error instanceof joseErrors.JWTClaimValidationFailed) throw problem('The DPoP proof claims are invalid');
    throw problem('The DPoP proof is invalid');
  }
}

/** The claim checks of RFC 9449 section 4.3 steps 7 to 12 (nonce and `jti` replay are the caller's). */
function checkClaims(payload: JWTPayload, expected: ProofExpectations): { jti: string; iat: number; nonce?: string } {
  const { jti, htm, htu, iat, ath, nonce } = payload as Record<string, unknown>;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw problem('The DPoP proof must have a jti');
  if (typeof htm !== 'string') throw problem('The DPoP proof must have htm');
  if (htm !== expected.method) throw problem('The DPoP proof htm does not match the request method');
  if (typeof htu !== 'string') throw problem('The DPoP proof must have htu');
  if (normalizeHtu(htu) !== expected.htu) throw problem('The DPoP proof htu does not match the request URI');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw problem('The DPoP proof must have iat');
  if (iat > expected.now + expected.leeway || iat < expected.now - expected.maxAge) throw problem('The DPoP proof iat is outside the accepted window');
  if (expected.accessToken !== undefined) {
    if (typeof ath !== 'string') throw problem('The DPoP proof must have ath');
    if (!constantTimeEqual(ath, accessTokenHash(expected.accessToken))) throw problem('The DPoP proof ath does not match the access token');
  }
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce.length > MAX_NONCE_LENGTH)) throw problem('The DPoP proof nonce is malformed');
  return { jti, iat, nonce };
}

/**
 * Checks a DPoP proof (RFC 9449 section 4.3): a compact JWS with `typ: dpop+jwt`, an accepted asymmetric `alg`, a
 * public key in `jwk` that verifies the signature; `jti`, `htm` and `htu` of this request (scheme, host, default port,
 * dot segments and percent-encoding normalised; query and fragment ignored), `iat` within `maxAge` before and `leeway`
 * after now, and `ath` matching the access token when there is one. Throws `DpopProofProblem`.
 */
export async function verifyDpopProof(proof: string, expected: ProofExpectations): Promise<VerifiedProof> {
  const alg = checkHeader(proof, expected.algorithms);
  const payload = await verifiedPayload(proof, alg, expected);
  const claims = checkClaims(payload, expected);
  const jwk = decodeProtectedHeader(proof).jwk as JWK;
  return { ...claims, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}
