import { KeyObject, sign } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import type { CryptoKey } from 'jose';

/** A private signing key as the key store holds it: its algorithm and the WebCrypto key jose imported. */
export interface JwsSigningKey {
  alg: string;
  privateKey: CryptoKey;
}

/** The protected header of a compact JWS, `alg` first (as jose writes it). */
export interface JwsHeader {
  alg: string;
  kid: string;
  typ: string;
}

/** RFC 7518 section 3.3: an RS256 key is at least 2048 bits. */
const MIN_RSA_BITS = 2048;

/** node:crypto keys of the WebCrypto keys seen, checked against their algorithm once. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function checkedKeyObject(key: JwsSigningKey): KeyObject {
  const object = KeyObject.from(key.privateKey as unknown as webcrypto.CryptoKey);
  const type = object.asymmetricKeyType;
  const details = object.asymmetricKeyDetails;
  const fits =
    object.type === 'private' &&
    ((key.alg === 'ES256' && type === 'ec' && details?.namedCurve === 'prime256v1') ||
      (key.alg === 'RS256' && type === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) ||
      (key.alg === 'EdDSA' && (type === 'ed25519' || type === 'ed448')));
  if (!fits) throw new TypeError(`authnest: the signing key is not a private ${key.alg} key`);
  return object;
}

function keyObjectOf(key: JwsSigningKey): KeyObject {
  let object = keyObjects.get(key.privateKey);
  if (!object) {
    object = checkedKeyObject(key);
    keyObjects.set(key.privateKey, object);
  }
  return object;
}

/** RFC 7518 section 3: ES256 is r || s (IEEE P1363, not DER), RS256 is RSASSA-PKCS1-v1_5, EdDSA (RFC 8037) hashes itself. */
function signatureOf(alg: string, input: Buffer, key: KeyObject): Buffer {
  if (alg === 'ES256') return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'RS256') return sign('sha256', input, key);
  return sign(null, input, key);
}

const base64url = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');

/**
 * A compact JWS (RFC 7515 section 7.1) of `payload` as JSON: what jose's `SignJWT` produces for the same header and
 * claims, signed with node:crypto (several times faster than WebCrypto for ES256). The key's algorithm and size
 * are checked on its first use, as jose checks them on every one: ES256 on P-256, RS256 of 2048 bits or more,
 * EdDSA on Ed25519 or Ed448.
 */
export function signCompactJws(key: JwsSigningKey, header: JwsHeader, payload: Record<string, unknown>): string {
  if (header.alg !== key.alg) throw new TypeError(`authnest: a ${key.alg} key cannot sign ${header.alg}`);
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = signatureOf(key.alg, Buffer.from(signingInput, 'ascii'), keyObjectOf(key));
  return `${signingInput}.${signature.toString('base64url')}`;
}
