import { importJWK, SignJWT, type JWK } from 'jose';
import { randomToken } from '../internal/random.js';
import { OAuthClientError } from './oauth-client.error.js';
import type { PrivateJwk } from './oauth-client-options.interface.js';

/** RFC 7523 section 2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Seconds a client assertion is valid: one use, right away. */
const ASSERTION_TTL = 60;

function algorithmOf(jwk: PrivateJwk): string {
  if (typeof jwk.alg === 'string') return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'OKP') return 'EdDSA';
  return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
}

/** The claims every client assertion carries, signed with `key` (RFC 7523 section 3, OpenID Connect Core section 9). */
function signAssertion(key: Parameters<SignJWT['sign']>[0], header: { alg: string; kid?: string }, clientId: string, audience: string, now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ ...header, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomToken(16))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_TTL)
    .sign(key);
}

/**
 * A `client_secret_jwt` client assertion (OpenID Connect Core section 9): the claims of `clientAssertion`, signed
 * HS256 with the client secret as the key.
 */
export function secretClientAssertion(clientId: string, secret: string, audience: string, now: number): Promise<string> {
  return signAssertion(new TextEncoder().encode(secret), { alg: 'HS256' }, clientId, audience, now);
}

/**
 * A `private_key_jwt` client assertion (RFC 7523 section 3, OpenID Connect Core section 9): `iss` and `sub` the
 * client id, `aud` the token endpoint URL, a unique `jti`, `iat` now and `exp` a minute later, signed with the
 * client's private key (`kid` in the header when the key has one).
 */
export async function clientAssertion(provider: string, clientId: string, jwk: PrivateJwk, audience: string, now: number): Promise<string> {
  const alg = algorithmOf(jwk);
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk as JWK, alg);
  } catch {
    throw new OAuthClientError(provider, 'invalid_configuration', 'The private key cannot sign client assertions');
  }
  return signAssertion(key, { alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) }, clientId, audience, now);
}
