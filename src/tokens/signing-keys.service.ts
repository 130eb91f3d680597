import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import type { SigningAlgorithm } from '../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { ENCRYPTION_SECRET } from './encryption-secret.provider.js';
import { KeyStoreService } from './key-store.service.js';
import { SecretBox } from './secret-box.js';
import { generateSigningKey } from './signing-key-factory.js';
import { phaseOf, purgeableKeys, signerOf, type KeyTimeline, type SigningKeyState } from './signing-key-lifecycle.js';

const ALGORITHMS: readonly string[] = Object.keys({ ES256: true, RS256: true, EdDSA: true } satisfies Record<SigningAlgorithm, true>);
const KID = /^[\x21-\x7E]{1,64}$/;

/** A signing key as `SigningKeys.list()` describes it (no key material). */
export interface SigningKeyInfo {
  kid: string;
  alg: string;
  state: SigningKeyState;
  /** Whether this key signs this instance's new tokens now. */
  signing: boolean;
  createdAt: Date;
  /** When it starts (or started) signing. */
  activatesAt: Date;
  /** When it leaves the JWKS: null while nothing superseded it; for a revoked key, its revocation. */
  publishedUntil: Date | null;
  revokedAt: Date | null;
}

/** What `SigningKeys.rotate()` published. */
export interface RotatedSigningKey {
  kid: string;
  alg: string;
  /** When it starts signing (`signing.propagationDelay` from now); the key before it is retired from then on. */
  activatesAt: Date;
}

/** Options of `SigningKeys.rotate()`. */
export interface RotateSigningKeyOptions {
  /**
   * Algorithm of the new key. A key of another algorithm than `signing.algorithm` is published and waits: instances
   * configured with its algorithm later sign with it from its activation on, without creating a key at boot.
   * @default signing.algorithm
   */
  algorithm?: SigningAlgorithm;
}

const asDate = (epochMs: number | null): Date | null => (epochMs === null ? null : new Date(epochMs));

/** Describes `keys` at `now` for list output (also used by the `authnest keys list` CLI). */
export function describeSigningKeys(keys: readonly SigningKeyEntity[], alg: string, now: number, timeline: KeyTimeline): SigningKeyInfo[] {
  const signer = signerOf(keys, alg, now, timeline);
  return keys.map((key) => {
    const phase = phaseOf(key, keys, now, timeline);
    return {
      kid: key.kid,
      alg: key.alg,
      state: phase.state,
      signing: key === signer,
      createdAt: new Date(key.createdAt),
      activatesAt: new Date(phase.activatesAt),
      publishedUntil: asDate(phase.publishedUntil),
      revokedAt: asDate(key.revokedAt),
    };
  });
}

/**
 * Signing-key rotation without downtime or restarts, on every instance of one database:
 * - `rotate()` publishes a new key at once; every instance signs with it from `activatesAt` on (`signing.propagationDelay`
 *   later: every instance and resource server has it by then); the key it supersedes stays published for the longest
 *   lifetime of anything it signed (access tokens of every resource, ID tokens, logout tokens) plus a margin, then goes.
 * - `revoke(kid)` (a compromised key): gone from the JWKS and never used again. When it was signing, a new key signs at
 *   once. Exposure window: other instances keep signing with it and publishing it until their next key reload
 *   (`signing.reloadInterval`); resource servers accept its tokens until they refetch the JWKS (their cache), and
 *   results they cached (`resource.jwtCacheTtl` here) until those expire.
 * Run `authnest keys` for the same from a shell.
 */
@Injectable()
export class SigningKeys {
  private readonly box: SecretBox;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: SigningKeyStore,
    private readonly keyStore: KeyStoreService,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) encryptionSecret: string,
  ) {
    this.box = new SecretBox(encryptionSecret);
  }

  /** Every stored key with its place in the lifecycle, oldest first. */
  async list(): Promise<SigningKeyInfo[]> {
    return describeSigningKeys(await this.store.findAll(), this.options.signing.algorithm, this.clock.now(), this.keyStore.lifecycle());
  }

  /** Publishes a new key that signs from `activatesAt` on; this instance publishes it at once, the others on reload. */
  async rotate(options: RotateSigningKeyOptions = {}): Promise<RotatedSigningKey> {
    const alg = options.algorithm ?? this.options.signing.algorithm;
    if (!ALGORITHMS.includes(alg)) throw new Error(`authnest: cannot rotate to algorithm ${String(alg)}: use one of ${ALGORITHMS.join(', ')}`);
    const now = this.clock.now();
    const key = await generateSigningKey(alg, this.box, now, null);
    await this.store.insert(key);
    await this.keyStore.reloadAfterChange();
    return { kid: key.kid, alg, activatesAt: new Date(now + this.keyStore.lifecycle().propagationDelayMs) };
  }

  /**
   * Revokes a key at once (idempotent). Resolves how it stands afterwards; throws when no key has this `kid`. When it
   * was signing, this instance creates its replacement before resolving; the others on their next reload.
   */
  async revoke(kid: string): Promise<SigningKeyInfo> {
    if (typeof kid !== 'string' || !KID.test(kid)) throw new Error('authnest: a key id is 1 to 64 printable characters');
    const revoked = await this.store.revoke(kid, this.clock.now());
    if (!revoked) throw new Error(`authnest: no signing key ${kid}`);
    await this.keyStore.reloadAfterChange();
    const listed = (await this.list()).find((key) => key.kid === kid);
    if (!listed) throw new Error(`authnest: no signing key ${kid}`);
    return listed;
  }

  /** Deletes retired keys, and revoked ones whose tokens have all expired; resolves how many went. */
  async purge(): Promise<number> {
    const keys = await this.store.findAll();
    return this.store.delete(purgeableKeys(keys, this.clock.now(), this.keyStore.lifecycle()).map((key) => key.kid));
  }
}
