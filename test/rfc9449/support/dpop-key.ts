import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** What a proof says besides the defaults; a member set to `undefined` is left out. */
export interface ProofSpec {
  accessToken?: string;
  nonce?: string;
  /** Seconds since the epoch; default: the key's clock. */
  iat?: number;
  jti?: string;
  /** Claims merged over the defaults (`undefined` removes one). */
  claims?: Record<string, unknown>;
  /** Header members merged over the defaults (`undefined` removes one). */
  header?: Record<string, unknown>;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}

/** `ath` of an access token (RFC 9449 section 4.2). */
export function ath(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

/** A client's DPoP key pair and the proofs it signs (RFC 9449 section 4), on the test's clock. */
export class DpopKey {
  private constructor(
    readonly alg: string,
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly privateJwk: JWK,
    /** RFC 7638 thumbprint of the public key. */
    readonly jkt: string,
    private readonly nowSeconds: () => number,
  ) {}

  static async generate(alg = 'ES256', now: () => number = Date.now): Promise<DpopKey> {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('RS') || alg.startsWith('PS') ? { modulusLength: 2048 } : {}) });
    const publicJwk = await exportJWK(pair.publicKey);
    const privateJwk = await exportJWK(pair.privateKey);
    return new DpopKey(alg, pair.privateKey, publicJwk, privateJwk, await calculateJwkThumbprint(publicJwk), () => Math.floor(now() / 1000));
  }

  /** A proof for `htm` `htu`, signed with this key. */
  proof(htm: string, htu: string, spec: ProofSpec = {}): Promise<string> {
    const claims = withoutUndefined({
      jti: spec.jti ?? randomBytes(16).toString('base64url'),
      htm,
      htu,
      iat: spec.iat ?? this.nowSeconds(),
      ...(spec.accessToken !== undefined ? { ath: ath(spec.accessToken) } : {}),
      ...(spec.nonce !== undefined ? { nonce: spec.nonce } : {}),
      ...spec.claims,
    });
    const header = withoutUndefined({ alg: this.alg, typ: 'dpop+jwt', jwk: this.publicJwk, ...spec.header });
    return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(this.privateKey);
  }
}

/** A compact JWS with the given header and claims and no real signature (for `alg: none` and garbage). */
export function unsignedJwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(claims)}.${signature}`;
}
