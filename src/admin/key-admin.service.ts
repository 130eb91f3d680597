import { Inject, Injectable } from '@nestjs/common';
import { AuthEvents } from '../events/auth-events.service.js';
import { Clock } from '../internal/clock.js';
import { SigningKeyStore } from '../persistence/stores/signing-key.store.js';
import { ENCRYPTION_SECRET } from '../tokens/encryption-secret.provider.js';
import { KeyStoreService } from '../tokens/key-store.service.js';
import { SecretBox } from '../tokens/secret-box.js';
import { SigningKeys, type RotatedSigningKey, type SigningKeyInfo } from '../tokens/signing-keys.service.js';
import { AuthAdminError } from './auth-admin.error.js';
import type { AdminOperationOptions, AdminRotateKeyOptions } from './auth-admin.types.js';

/**
 * The signing-key half of `AuthAdminService`, over `SigningKeys`: list, rotate (publish a key that signs
 * `signing.propagationDelay` later), retire (stop a key for good while the tokens it signed still verify) and revoke
 * (a compromised key: gone at once).
 */
@Injectable()
export class KeyAdmin {
  private readonly box: SecretBox;

  constructor(
    private readonly keys: SigningKeys,
    private readonly store: SigningKeyStore,
    private readonly keyStore: KeyStoreService,
    private readonly events: AuthEvents,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) encryptionSecret: string,
  ) {
    this.box = new SecretBox(encryptionSecret);
  }

  list(): Promise<SigningKeyInfo[]> {
    return this.keys.list();
  }

  /**
   * Publishes a new key. Refused when the encryption secret opens none of the live keys: the apps could not open the
   * new key either (it matters for the CLI, which is given the secret separately).
   */
  async rotate({ algorithm, source = 'admin-service' }: AdminRotateKeyOptions = {}): Promise<RotatedSigningKey> {
    const live = (await this.store.findAll()).filter((key) => key.status === 'active');
    if (live.length > 0 && !live.some((key) => this.opens(key.privateJwkEncrypted))) {
      throw new AuthAdminError('refused', 'the encryption secret does not open the stored keys: use the one the app has in signing.encryptionSecret');
    }
    const rotated = await this.keys.rotate(algorithm === undefined ? {} : { algorithm });
    this.events.emit('authnest.key.rotated', { kid: rotated.kid, alg: rotated.alg, source });
    return rotated;
  }

  /**
   * Retires a key: it never signs again, and stays in the JWKS until everything it signed has expired (a key that never
   * signed goes at once); the purge then deletes it. For a key of an algorithm no longer configured, or a rotation to
   * cancel before it activates. The key that signs now is refused (rotate first: it retires by itself once its
   * successor signs); a revoked key too. Retiring a retired key changes nothing.
   */
  async retire(kid: string, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<SigningKeyInfo> {
    const key = await this.find(kid);
    if (key.state === 'revoked') throw new AuthAdminError('refused', `signing key ${kid} is revoked`);
    if (key.signing) throw new AuthAdminError('refused', `signing key ${kid} signs new tokens: rotate first (it retires by itself once its successor signs)`);
    if (key.state !== 'retired' && key.state !== 'retiring') {
      const now = this.clock.now();
      const retireAfter = key.state === 'pending' ? now : now + this.keyStore.lifecycle().retentionMs;
      await this.store.retire(kid, retireAfter);
      await this.keyStore.reloadAfterChange();
    } else if (key.publishedUntil !== null) {
      // A superseded key already leaves on its own; recording its end makes it final.
      await this.store.retire(kid, key.publishedUntil.getTime());
    }
    this.events.emit('authnest.key.retired', { kid, source, immediate: false });
    return this.find(kid);
  }

  /** Revokes a key at once (a compromised key): out of the JWKS, never used again; a replacement signs if it was signing. */
  async revoke(kid: string, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<SigningKeyInfo> {
    await this.find(kid);
    const revoked = await this.keys.revoke(kid);
    this.events.emit('authnest.key.retired', { kid, source, immediate: true });
    return revoked;
  }

  private async find(kid: string): Promise<SigningKeyInfo> {
    const key = typeof kid === 'string' ? (await this.keys.list()).find((candidate) => candidate.kid === kid) : undefined;
    if (!key) throw new AuthAdminError('not_found', `no signing key ${String(kid)}`);
    return key;
  }

  private opens(sealed: string): boolean {
    try {
      this.box.open(sealed);
      return true;
    } catch {
      return false;
    }
  }
}
