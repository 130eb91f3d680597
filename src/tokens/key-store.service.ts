import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CryptoKey, JWK } from 'jose';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { AUTH_EVENTS } from '../events/auth-event-map.js';
import { AuthEvents } from '../events/auth-events.service.js';
import { Clock } from '../internal/clock.js';
import { KEY_RETIREMENT_MARGIN, longestSignedLifetime } from '../options/resolve-signing-options.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { ENCRYPTION_SECRET } from './encryption-secret.provider.js';
import { SecretBox } from './secret-box.js';
import { generateSigningKey, unsealSigningKey, type UnsealedSigningKey } from './signing-key-factory.js';
import { isPublished, phaseOf, signerOf, type KeyTimeline } from './signing-key-lifecycle.js';
import { AuthLogger } from '../internal/auth-logger.js';

/** The key that signs, with its identity. */
export interface ActiveSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

/** A public JWK as published in JWKS (public members only). */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
/** Attempts to create a missing signing key while other instances change the table at the same time. */
const CREATE_ATTEMPTS = 3;

function publicOnly(jwk: JWK, kid: string, alg: string): PublicJwk {
  const out: PublicJwk = { kid, alg, use: 'sig' };
  for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) out[member] = jwk[member];
  return out;
}

/** The lifecycle timing of `options`. */
export function keyTimeline(options: ResolvedAuthOptions): KeyTimeline {
  return {
    propagationDelayMs: options.signing.propagationDelay * 1000,
    retentionMs: (longestSignedLifetime(options) + KEY_RETIREMENT_MARGIN) * 1000,
  };
}

/**
 * Signing keys kept in the database (private JWKs sealed with the encryption secret), on a time-based lifecycle
 * (`signing-key-lifecycle.ts`) every instance computes alike: a rotated key is published at once and signs from its
 * activation on; the key it supersedes stays published until everything it signed has expired. Each instance
 * re-reads the keys when `signing.reloadInterval` has passed, on use (signing, JWKS, verification), and unseals the
 * keys that will sign in advance, so all instances switch at the activation instant. When no key of
 * `signing.algorithm` can sign (first boot, another algorithm configured, the signing key revoked), one is created
 * and signs at once; instances doing so at the same time create one between them.
 */
@Injectable()
export class KeyStoreService implements OnModuleInit {
  private readonly logger = new AuthLogger();
  private readonly box: SecretBox;
  private readonly timeline: KeyTimeline;
  private keys: SigningKeyEntity[] = [];
  /** Unsealed private keys of `signing.algorithm`, or why one cannot be unsealed. */
  private readonly unsealed = new Map<string, UnsealedSigningKey | Error>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<void>;
  private published: PublicJwk[] = [];
  private publishedKids = '';

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) encryptionSecret: string,
    private readonly events: AuthEvents,
  ) {
    this.box = new SecretBox(encryptionSecret);
    this.timeline = keyTimeline(options);
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    // Fail fast at boot: a key this instance will sign with that it cannot open is a misconfiguration.
    for (const result of this.unsealed.values()) if (result instanceof Error) throw result;
  }

  /** The lifecycle timing this instance computes with. */
  lifecycle(): KeyTimeline {
    return this.timeline;
  }

  /** Re-reads the keys now (one read in flight at a time), creating a signing key when none can sign. */
  reload(): Promise<void> {
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Re-reads the keys after a change this instance made: a read already in flight may predate it, so one more follows. */
  async reloadAfterChange(): Promise<void> {
    await this.pending?.catch(() => undefined);
    await this.reload();
  }

  /**
   * Re-reads the keys when `signing.reloadInterval` has passed since the last read. A failed read is logged and
   * keeps the keys read before (retried after another interval): the JWKS keeps answering while the database is away.
   */
  async refreshIfDue(): Promise<void> {
    if (this.clock.now() - this.loadedAt < this.options.signing.reloadInterval * 1000 && !this.pending) return;
    try {
      await this.reload();
    } catch (error) {
      this.loadedAt = this.clock.now();
      // Driver messages may name the database; authnest's own name a key at most.
      const { name, message } = error as Error;
      this.logger.error(`Signing key reload failed: ${message.startsWith('authnest:') ? message : name}`);
    }
  }

  /** The key that signs new tokens at this instant, among the keys read last. */
  signingKey(): ActiveSigningKey {
    const signer = signerOf(this.keys, this.options.signing.algorithm, this.clock.now(), this.timeline);
    if (!signer) throw new Error('authnest: no signing key can sign (a replacement is created on the next key reload)');
    const unsealed = this.unsealed.get(signer.kid);
    if (!unsealed) throw new Error(`authnest: signing key ${signer.kid} is not loaded`);
    if (unsealed instanceof Error) throw unsealed;
    return unsealed;
  }

  /** `signingKey()` after re-reading the keys if `signing.reloadInterval` has passed: what every signer uses. */
  async currentSigningKey(): Promise<ActiveSigningKey> {
    await this.refreshIfDue();
    return this.signingKey();
  }

  /** Public keys for JWKS and local verification at this instant (the same array while the set is unchanged). */
  publicKeys(): readonly PublicJwk[] {
    const now = this.clock.now();
    const visible = this.keys.filter((key) => isPublished(key, this.keys, now, this.timeline));
    const kids = visible.map((key) => key.kid).join(' ');
    if (kids !== this.publishedKids) {
      this.published = visible.map((key) => publicOnly(JSON.parse(key.publicJwk) as JWK, key.kid, key.alg));
      this.publishedKids = kids;
    }
    return this.published;
  }

  /** `publicKeys()` after re-reading the keys if `signing.reloadInterval` has passed. */
  async currentPublicKeys(): Promise<readonly PublicJwk[]> {
    await this.refreshIfDue();
    return this.publicKeys();
  }

  private async load(): Promise<void> {
    const alg = this.options.signing.algorithm;
    let keys = await this.store.findAll();
    for (let attempt = 0; attempt < CREATE_ATTEMPTS && !signerOf(keys, alg, this.clock.now(), this.timeline); attempt += 1) {
      const now = this.clock.now();
      const created = await generateSigningKey(alg, this.box, now, now);
      if (await this.store.insertIfUnchanged(created, keys.length)) {
        this.logger.log(`Created signing key ${created.kid} (${alg})`);
        // Made by the server itself (first boot, another algorithm configured, the signing key revoked), not by an admin.
        this.events.emit(AUTH_EVENTS.keyRotated, { kid: created.kid, alg, source: 'schedule' });
      }
      keys = await this.store.findAll();
    }
    if (!signerOf(keys, alg, this.clock.now(), this.timeline)) throw new Error('authnest: no signing key after key generation');
    await this.unsealSigners(keys);
    this.keys = keys;
    this.loadedAt = this.clock.now();
  }

  /** Unseals the keys of `signing.algorithm` that sign now or will (once per key), and forgets the others. */
  private async unsealSigners(keys: readonly SigningKeyEntity[]): Promise<void> {
    const now = this.clock.now();
    const signs = (key: SigningKeyEntity) => ['active', 'pending'].includes(phaseOf(key, keys, now, this.timeline).state);
    const wanted = keys.filter((key) => key.alg === this.options.signing.algorithm && signs(key));
    const kids = new Set(wanted.map((key) => key.kid));
    for (const kid of this.unsealed.keys()) if (!kids.has(kid)) this.unsealed.delete(kid);
    for (const key of wanted) {
      if (this.unsealed.has(key.kid)) continue;
      try {
        this.unsealed.set(key.kid, await unsealSigningKey(key, this.box));
      } catch (error) {
        this.unsealed.set(key.kid, error as Error);
        this.logger.error((error as Error).message);
      }
    }
  }
}
