import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import { randomToken } from '../internal/random.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { ENCRYPTION_SECRET } from './encryption-secret.provider.js';
import { SecretBox } from './secret-box.js';

/** The key that signs, with its identity. */
export interface ActiveSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/** A public JWK as published in JWKS (public members only). */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function publicOnly(jwk: JWK, kid: string, alg: string): PublicJwk {
  const out: PublicJwk = { kid, alg, use: 'sig' };
  for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) out[member] = jwk[member];
  return out;
}

/**
 * Signing keys kept in the database. On first boot a key of `signing.algorithm` is generated; its private
 * JWK is sealed with the encryption secret. Every stored key is published; the oldest active key of the
 * configured algorithm signs. The first key is inserted only if no other instance inserted one meanwhile,
 * so instances booting at once on an empty table create and sign with one key.
 */
@Injectable()
export class KeyStoreService implements OnModuleInit {
  private readonly box: SecretBox;
  private signing: ActiveSigningKey;
  private published: PublicJwk[] = [];

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) encryptionSecret: string,
  ) {
    this.box = new SecretBox(encryptionSecret);
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Re-reads keys from the database, creating the first one when none of the configured algorithm exists. */
  async reload(): Promise<void> {
    const alg = this.options.signing.algorithm;
    let keys = await this.store.findPublished();
    if (!keys.some((key) => key.status === 'active' && key.alg === alg)) {
      await this.store.insertUnlessActive(await this.generate(alg));
      keys = await this.store.findPublished();
    }
    const active = keys.find((key) => key.status === 'active' && key.alg === alg);
    if (!active) throw new Error('authnest: no active signing key after key generation');
    this.signing = await this.unseal(active);
    this.published = keys.map((key) => publicOnly(JSON.parse(key.publicJwk) as JWK, key.kid, key.alg));
  }

  /** The key that signs new tokens. */
  signingKey(): ActiveSigningKey {
    return this.signing;
  }

  /** Public keys for JWKS and local verification. */
  publicKeys(): readonly PublicJwk[] {
    return this.published;
  }

  private async generate(alg: string): Promise<SigningKeyEntity> {
    const options = alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true };
    const { publicKey, privateKey } = await generateKeyPair(alg, options);
    const kid = randomToken(16);
    return {
      kid,
      alg,
      status: 'active',
      publicJwk: JSON.stringify(await exportJWK(publicKey)),
      privateJwkEncrypted: this.box.seal(JSON.stringify(await exportJWK(privateKey))),
      createdAt: this.clock.now(),
      retireAfter: null,
    };
  }

  private async unseal(key: SigningKeyEntity): Promise<ActiveSigningKey> {
    let jwk: JWK;
    try {
      jwk = JSON.parse(this.box.open(key.privateJwkEncrypted)) as JWK;
    } catch {
      throw new Error(
        `authnest: signing key ${key.kid} cannot be decrypted: signing.encryptionSecret differs from the one it was sealed with`,
      );
    }
    const privateKey = await importJWK(jwk, key.alg);
    if (privateKey instanceof Uint8Array) throw new Error('authnest: symmetric signing keys are not supported');
    return { kid: key.kid, alg: key.alg, privateKey };
  }
}
